/**
 * The frame's end of the page↔frame channel. The loader names its page's
 * origin in our URL hash; we post only to that origin, and accept messages
 * only from our parent window at that origin. frame-ancestors (set by the
 * server) already limits which pages may embed us at all.
 */
import type { FrameToPageMessage, PageToFrameMessage } from '@parley/protocol';

export type FrameMessageBody = FrameToPageMessage extends infer M
  ? M extends FrameToPageMessage
    ? Omit<M, 'source'>
    : never
  : never;

export interface PageLink {
  post(message: FrameMessageBody): void;
}

export function linkPage(onMessage: (message: PageToFrameMessage) => void): PageLink | null {
  let pageOrigin: string;
  try {
    pageOrigin = new URL(decodeURIComponent(location.hash.slice(1))).origin;
  } catch {
    return null;
  }
  if (window.parent === window || pageOrigin === 'null') return null;
  addEventListener('message', (event) => {
    if (event.origin !== pageOrigin || event.source !== window.parent) return;
    const data = event.data as PageToFrameMessage | null;
    if (data?.source === 'parley') onMessage(data);
  });
  const link: PageLink = {
    post: (message) => window.parent.postMessage({ source: 'parley', ...message }, pageOrigin),
  };
  link.post({ type: 'ready' });
  return link;
}
