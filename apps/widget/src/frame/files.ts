/**
 * Files in the chat frame: uploading (XHR, for its progress events; cancel
 * aborts it), and showing what a message carries — a picture as a preview
 * that opens full size, anything else as its name and size, downloaded on
 * click. Files are fetched with the visitor's token (a cookie would not reach
 * this third-party frame), so what is shown is a blob URL of bytes already
 * checked by the server.
 */
import { type AttachmentDTO, FILE_PATHS, type FileSettings, IMAGE_FILE_TYPES } from '@parley/protocol';
import { h, icon } from './dom.js';
import type { Catalog } from './i18n.js';

const FILE_ICON = 'M6 2h8l6 6v14H6zm7 1.5V9h5.5';
const CLIP_ICON =
  'M16.5 6.5v10a4.5 4.5 0 0 1-9 0V5a3 3 0 0 1 6 0v10.5a1.5 1.5 0 0 1-3 0V6.5H9v9a3 3 0 0 0 6 0V5a4.5 4.5 0 0 0-9 0v11.5a6 6 0 0 0 12 0v-10z';

let bearer = () => '';
/** Where the visitor's current token is read from when a file is fetched or uploaded. */
export const useFileBearer = (read: () => string) => {
  bearer = read;
};

const blobs = new Map<string, Promise<string>>();

function blobUrl(file: AttachmentDTO): Promise<string> {
  let url = blobs.get(file.id);
  if (!url) {
    url = fetch(file.url, { headers: { authorization: `Bearer ${bearer()}` } })
      .then((r) => (r.ok ? r.blob() : Promise.reject(r.status)))
      .then((blob) => URL.createObjectURL(blob));
    url.catch(() => blobs.delete(file.id));
    blobs.set(file.id, url);
  }
  return url;
}

/** "2.4 MB", "310 KB", "120 B". */
export const formatSize = (bytes: number) =>
  bytes < 1024
    ? `${bytes} B`
    : bytes < 1048576
      ? `${Math.round(bytes / 1024)} KB`
      : `${Math.round(bytes / 104857.6) / 10} MB`;

/** A message's files: pictures as previews that open full size, the rest as name and size. */
export function renderFiles(files: AttachmentDTO[], t: Catalog): HTMLElement {
  return h(
    'div',
    { class: 'fs' },
    ...files.map((file) => {
      const image = IMAGE_FILE_TYPES.includes(file.contentType);
      const link = h(
        'a',
        image
          ? { class: 'fi', href: '#', target: '_blank', 'aria-label': t.openImage(file.name) }
          : { class: 'fd', href: '#', download: file.name },
        image ? h('img', { alt: file.name }) : icon(FILE_ICON),
        image ? null : h('span', {}, file.name),
        image ? null : h('small', {}, formatSize(file.size)),
      );
      const load = blobUrl(file).then((url) => {
        link.href = url;
        const img = link.querySelector('img');
        if (img) img.src = url;
      });
      load.catch(() => undefined);
      // Until the bytes are here the link leads nowhere: wait for them, then follow it.
      link.addEventListener('click', (event) => {
        if (link.href.startsWith('blob:')) return;
        event.preventDefault();
        void load.then(() => link.click());
      });
      return link;
    }),
  );
}

export interface Upload {
  done: Promise<AttachmentDTO>;
  cancel(): void;
}

/** Uploads one file: its bytes as the body, `onProgress` with 0–100; rejects with the server's message. */
export function uploadFile(file: File, onProgress: (percent: number) => void): Upload {
  const xhr = new XMLHttpRequest();
  const done = new Promise<AttachmentDTO>((resolve, reject) => {
    xhr.open('POST', `${FILE_PATHS.widgetFiles}?name=${encodeURIComponent(file.name || 'file')}`);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.setRequestHeader('authorization', `Bearer ${bearer()}`);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(Math.round((e.loaded / e.total) * 100));
    xhr.onload = () => {
      try {
        const body = JSON.parse(xhr.responseText);
        xhr.status === 201 ? resolve(body.file) : reject(new Error(body.error?.message));
      } catch {
        reject(new Error());
      }
    };
    xhr.onerror = xhr.onabort = () => reject(new Error());
    xhr.send(file);
  });
  return { done, cancel: () => xhr.abort() };
}

/**
 * The files being uploaded, above the message box: each with its name, a
 * progress bar and Cancel; a refused one with the reason and Dismiss. A file
 * over the site's size limit is refused here, before a byte is sent.
 */
export function createUploads(t: Catalog, limits: () => FileSettings, send: (file: AttachmentDTO) => void) {
  const list = h('ul', { class: 'ups', 'aria-live': 'polite' });
  const add = (file: File) => {
    const bar = h('progress', { max: '100', value: '0', 'aria-label': t.uploading(file.name) });
    const cancel = h('button', { type: 'button' }, t.cancel);
    const item = h('li', {}, h('span', {}, file.name), bar, cancel);
    list.append(item);
    const fail = (reason: string) => {
      bar.replaceWith(h('em', {}, reason || t.notSent));
      cancel.textContent = t.discard;
      cancel.onclick = () => item.remove();
    };
    if (file.size > limits().maxBytes) return fail(t.tooLarge(formatSize(limits().maxBytes)));
    const upload = uploadFile(file, (percent) => {
      bar.value = percent;
    });
    let cancelled = false;
    cancel.onclick = () => {
      cancelled = true;
      upload.cancel();
      item.remove();
    };
    upload.done.then(
      (stored) => {
        item.remove();
        send(stored);
      },
      (error: Error) => cancelled || fail(error.message),
    );
  };
  return { list, add: (files: Iterable<File>) => [...files].forEach(add) };
}

/** The paperclip: a button that opens the file picker (the input beside it, hidden). */
export function attachButton(t: Catalog, onFiles: (files: FileList) => void): HTMLElement {
  const input = h('input', { type: 'file', multiple: true, hidden: true, tabindex: '-1' });
  const button = h('button', { type: 'button', class: 'snd atc', 'aria-label': t.attach }, icon(CLIP_ICON));
  button.onclick = () => input.click();
  input.onchange = () => {
    if (input.files?.length) onFiles(input.files);
    input.value = '';
  };
  return h('span', { class: 'atw' }, button, input);
}
