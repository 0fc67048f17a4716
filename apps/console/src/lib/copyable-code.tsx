/**
 * A block of code to paste elsewhere (the install snippet, the JS API examples), read-only, with a
 * button that copies it and says whether that worked. Without a clipboard (plain http on a
 * non-local address) the code is selected instead, so Ctrl+C copies it.
 */
import { useEffect, useRef, useState } from 'react';

type CopyState = 'idle' | 'copied' | 'failed';

export interface CopyableCodeLabels {
  copy: string;
  copied: string;
  copyFailed: string;
}

export function CopyableCode({ code, labels }: { code: string; labels: CopyableCodeLabels }) {
  const codeRef = useRef<HTMLElement>(null);
  const [state, setState] = useState<CopyState>('idle');

  useEffect(() => {
    if (state !== 'copied') return;
    const timer = setTimeout(() => setState('idle'), 4000);
    return () => clearTimeout(timer);
  }, [state]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(code);
      setState('copied');
    } catch {
      const element = codeRef.current;
      if (element) getSelection()?.selectAllChildren(element);
      setState('failed');
    }
  }

  return (
    <>
      <pre className="snippet">
        <code ref={codeRef}>{code}</code>
      </pre>
      <div className="settings-row">
        <button type="button" onClick={() => void copy()}>
          {labels.copy}
        </button>
        <span className="small" role="status">
          {state === 'copied' && <span className="ok">{labels.copied}</span>}
          {state === 'failed' && <span className="error">{labels.copyFailed}</span>}
        </span>
      </div>
    </>
  );
}
