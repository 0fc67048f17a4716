/**
 * The loader's end of the page↔frame channel: creates the iframe (only when
 * first needed), posts to the frame's origin only, and accepts messages only
 * from that origin and that window. Messages posted before the frame says
 * `ready` wait in a queue.
 */
import type { FrameToPageMessage, PageToFrameMessage } from '@parley/protocol';

export type PageMessageBody = PageToFrameMessage extends infer M
  ? M extends PageToFrameMessage
    ? Omit<M, 'source'>
    : never
  : never;

export interface FrameLink {
  post(message: PageMessageBody): void;
  /** Takes the frame off the page (a new visitor token needs a fresh frame) and stops listening to it. */
  remove(): void;
}

export function linkFrame(
  panel: HTMLElement,
  frameUrl: string,
  frameOrigin: string,
  title: string,
  onMessage: (message: FrameToPageMessage) => void,
): FrameLink {
  const iframe = document.createElement('iframe');
  iframe.src = frameUrl;
  iframe.title = title;
  // The chat needs nothing of the host page; audio is for the reply chime.
  iframe.setAttribute('allow', 'autoplay');
  let ready = false;
  const queue: PageMessageBody[] = [];

  const send = (message: PageMessageBody) =>
    iframe.contentWindow?.postMessage({ source: 'parley', ...message }, frameOrigin);

  const listener = (event: MessageEvent) => {
    if (event.origin !== frameOrigin || event.source !== iframe.contentWindow) return;
    const data = event.data as FrameToPageMessage | null;
    if (data?.source !== 'parley') return;
    if (data.type === 'ready') {
      ready = true;
      for (const message of queue.splice(0)) send(message);
    }
    onMessage(data);
  };
  window.addEventListener('message', listener);
  panel.appendChild(iframe);

  return {
    post(message) {
      if (ready) send(message);
      else queue.push(message);
    },
    remove() {
      window.removeEventListener('message', listener);
      iframe.remove();
    },
  };
}
