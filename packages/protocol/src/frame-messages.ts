/**
 * Messages between the host page's loader and the chat iframe (window.postMessage).
 * Both sides post with an explicit target origin and check `event.origin`;
 * `source: 'parley'` lets each side ignore other scripts' messages cheaply.
 */

export interface PageContext {
  url: string;
  title: string;
  referrer: string;
}

/** Loader → frame. */
export type PageToFrameMessage =
  | {
      source: 'parley';
      type: 'init';
      siteKey: string;
      /** Token kept in the host page's storage, when storage works there. */
      visitorToken: string | null;
      language: string | null;
      page: PageContext;
    }
  | { source: 'parley'; type: 'visibility'; open: boolean };

/** Frame → loader. */
export type FrameToPageMessage =
  | { source: 'parley'; type: 'ready' }
  | { source: 'parley'; type: 'close' }
  /** Store this token for the next page and the next visit. */
  | { source: 'parley'; type: 'token'; visitorToken: string }
  /** Operator replies the visitor has not seen; the launcher shows a badge. */
  | { source: 'parley'; type: 'unread'; count: number };

export type FrameMessage = PageToFrameMessage | FrameToPageMessage;
