/**
 * Attaching files in the reply box: the paperclip (a file picker), pasting
 * into the box and dropping on it. Each file is uploaded first, with a
 * progress bar and Cancel; once stored, a message carrying it goes through
 * the outbox like any reply (same clientId on every retry, so it appears
 * once). A refused file shows the server's reason.
 */
import { type AttachmentDTO, FILE_PATHS } from '@parley/protocol';
import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { useWorkspace } from '../shell/workspace-context';
import { PaperclipIcon } from './file-icons';

interface UploadItem {
  key: number;
  name: string;
  percent: number;
  error: string | null;
  cancel(): void;
}

let nextKey = 1;

/** Uploads one file's bytes; `onProgress` with 0–100. Rejects with the server's message. */
function upload(
  conversationId: string,
  file: File,
  csrfToken: string | null,
  onProgress: (percent: number) => void,
): { done: Promise<AttachmentDTO>; cancel(): void } {
  const xhr = new XMLHttpRequest();
  const done = new Promise<AttachmentDTO>((resolve, reject) => {
    const name = encodeURIComponent(file.name || 'file');
    xhr.open('POST', `${FILE_PATHS.conversationFiles(conversationId)}?name=${name}`);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    if (csrfToken) xhr.setRequestHeader('x-csrf-token', csrfToken);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(Math.round((e.loaded / e.total) * 100));
    };
    xhr.onload = () => {
      try {
        const body = JSON.parse(xhr.responseText);
        if (xhr.status === 201) resolve(body.file);
        else reject(new Error(body.error?.message ?? String(xhr.status)));
      } catch {
        reject(new Error(String(xhr.status)));
      }
    };
    xhr.onerror = () => reject(new Error('network'));
    xhr.onabort = () => reject(new Error('cancelled'));
    xhr.send(file);
  });
  return { done, cancel: () => xhr.abort() };
}

export function AttachFiles({ conversationId }: { conversationId: string }) {
  const { t } = useI18n();
  const workspace = useWorkspace();
  const [items, setItems] = useState<UploadItem[]>([]);
  const input = useRef<HTMLInputElement>(null);
  const root = useRef<HTMLDivElement>(null);
  const change = (key: number, patch: Partial<UploadItem> | null) =>
    setItems((list) =>
      patch === null
        ? list.filter((i) => i.key !== key)
        : list.map((i) => (i.key === key ? { ...i, ...patch } : i)),
    );

  const addFiles = (files: Iterable<File>) => {
    for (const file of files) {
      const key = nextKey++;
      let cancelled = false;
      const started = upload(conversationId, file, workspace.http.csrfToken, (percent) =>
        change(key, { percent }),
      );
      setItems((list) => [
        ...list,
        {
          key,
          name: file.name,
          percent: 0,
          error: null,
          cancel: () => {
            cancelled = true;
            started.cancel();
            change(key, null);
          },
        },
      ]);
      started.done.then(
        (stored) => {
          change(key, null);
          workspace.sendFiles(conversationId, [stored]);
        },
        (error: Error) => {
          if (!cancelled) change(key, { error: error.message });
        },
      );
    }
  };
  const addRef = useRef(addFiles);
  addRef.current = addFiles;

  // Paste into the reply box and drop on it: the form around this component.
  useEffect(() => {
    const form = root.current?.closest('form');
    if (!form) return;
    const onPaste = (event: ClipboardEvent) => {
      const files = event.clipboardData?.files;
      if (files?.length) {
        event.preventDefault();
        addRef.current(files);
      }
    };
    const onDragOver = (event: DragEvent) => {
      if (event.dataTransfer?.types.includes('Files')) event.preventDefault();
    };
    const onDrop = (event: DragEvent) => {
      const files = event.dataTransfer?.files;
      if (files?.length) {
        event.preventDefault();
        addRef.current(files);
      }
    };
    form.addEventListener('paste', onPaste);
    form.addEventListener('dragover', onDragOver);
    form.addEventListener('drop', onDrop);
    return () => {
      form.removeEventListener('paste', onPaste);
      form.removeEventListener('dragover', onDragOver);
      form.removeEventListener('drop', onDrop);
    };
  }, []);

  return (
    <div className="attach-files" ref={root}>
      <button
        type="button"
        className="ghost attach-button"
        aria-label={t('files.attach')}
        title={t('files.attach')}
        onClick={() => input.current?.click()}
      >
        <PaperclipIcon />
      </button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        tabIndex={-1}
        onChange={(event) => {
          if (event.target.files?.length) addFiles(event.target.files);
          event.target.value = '';
        }}
      />
      {items.length > 0 && (
        <ul className="uploads" aria-live="polite">
          {items.map((item) => (
            <li key={item.key}>
              <span className="file-name">{item.name}</span>
              {item.error === null ? (
                <>
                  <progress
                    max={100}
                    value={item.percent}
                    aria-label={t('files.uploading', { name: item.name })}
                  />
                  <button type="button" className="ghost small" onClick={item.cancel}>
                    {t('files.cancel')}
                  </button>
                </>
              ) : (
                <>
                  <span className="error" role="alert">
                    {t('files.failed', { error: item.error })}
                  </span>
                  <button type="button" className="ghost small" onClick={() => change(item.key, null)}>
                    {t('files.dismiss')}
                  </button>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
