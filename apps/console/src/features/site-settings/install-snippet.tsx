/** The install snippet for a site, read-only, with a button that copies it. */
import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { installSnippet } from './site-settings-state';

type CopyState = 'idle' | 'copied' | 'failed';

export function InstallSnippet({ publicKey }: { publicKey: string }) {
  const { t } = useI18n();
  const codeRef = useRef<HTMLElement>(null);
  const [copy, setCopy] = useState<CopyState>('idle');
  const snippet = installSnippet(window.location.origin, publicKey);

  useEffect(() => {
    if (copy !== 'copied') return;
    const timer = setTimeout(() => setCopy('idle'), 4000);
    return () => clearTimeout(timer);
  }, [copy]);

  async function copySnippet() {
    try {
      await navigator.clipboard.writeText(snippet);
      setCopy('copied');
    } catch {
      // No clipboard (plain http on a non-local address): select the text so Ctrl+C copies it.
      const code = codeRef.current;
      if (code) getSelection()?.selectAllChildren(code);
      setCopy('failed');
    }
  }

  return (
    <section className="settings-section" aria-labelledby="site-install-title">
      <h3 id="site-install-title">{t('siteSettings.install')}</h3>
      <p className="muted small">{t('siteSettings.installHint')}</p>
      <pre className="snippet">
        <code ref={codeRef}>{snippet}</code>
      </pre>
      <div className="settings-row">
        <button type="button" onClick={() => void copySnippet()}>
          {t('siteSettings.copy')}
        </button>
        <span className="small" role="status">
          {copy === 'copied' && <span className="ok">{t('siteSettings.copied')}</span>}
          {copy === 'failed' && <span className="error">{t('siteSettings.copyFailed')}</span>}
        </span>
      </div>
    </section>
  );
}
