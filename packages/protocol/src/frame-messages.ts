/**
 * Messages between the host page's loader and the chat iframe (window.postMessage).
 * Both sides post with an explicit target origin and check `event.origin`;
 * `source: 'parley'` lets each side ignore other scripts' messages cheaply.
 *
 * The loader puts its page's origin in the frame URL's hash, so the frame can
 * address its first `ready` to that origin only; the frame then accepts `init`
 * only from that origin and from its parent window.
 */
import type { Language } from './dto.js';

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
      /** Without a token: the tracker's key for this new visitor (WidgetSessionRequest.newVisitorKey). */
      newVisitorKey?: string;
      /** The snippet's `data-language`, used when the site's language is 'auto'. */
      language: string | null;
      page: PageContext;
      /** Whether the window is shown now (false when preloaded to catch replies). */
      open: boolean;
    }
  | { source: 'parley'; type: 'visibility'; open: boolean }
  /**
   * The host page's address or title changed since the last `init` or `page`
   * (single-page shops); with `returned`, the tab came back to the front, so
   * the page is reported even unchanged (another tab may have reported since).
   */
  | { source: 'parley'; type: 'page'; url: string; title: string; returned?: true };
// (Identify goes from the loader to the server itself; a new visitor token reaches the frame as a new `init`.)

/** Frame → loader. */
export type FrameToPageMessage =
  | { source: 'parley'; type: 'ready' }
  | { source: 'parley'; type: 'close' }
  /**
   * The session is up: store the token for the next page and visit, and label
   * the launcher in the chat's language and the site's colour.
   */
  | {
      source: 'parley';
      type: 'session';
      visitorToken: string;
      language: Language;
      accentColor: string;
      /** The visitor has talked before: the loader may preload the frame on later pages to catch replies. */
      hasConversation: boolean;
    }
  /** Operator replies the visitor has not seen; the launcher shows a badge. */
  | { source: 'parley'; type: 'unread'; count: number }
  /**
   * An operator's message arrived live, for the page's `Parley('on', 'message', fn)`. Who wrote and
   * when, never the text: the conversation stays out of the host page's scripts' reach.
   */
  | { source: 'parley'; type: 'message'; operatorName: string | null; at: string }
  /**
   * While the chat is closed, the frame shows an operator's unseen message as a small bubble by the
   * launcher (a chat started from "visitors now"): the loader shows the frame that tall (px), or hides
   * it again with 0. No focus moves.
   */
  | { source: 'parley'; type: 'bubble'; height: number }
  /** The visitor clicked the bubble: open the chat. */
  | { source: 'parley'; type: 'open' };

export type FrameMessage = PageToFrameMessage | FrameToPageMessage;
