/**
 * Keeps the server told which page the visitor is on (`visitor.page`), which
 * operators see on the visitor card. The loader reports the host page as it
 * changes; this sends only the latest, one frame at a time: pages that arrive
 * while a frame is on its way fold into one more frame, not one each. A page
 * that changed while the link was down goes out on the next connect; a page
 * the server already has is never sent again.
 */
import { LIMITS } from '@parley/protocol';

export interface VisitorPage {
  url: string;
  title: string;
}

/** Sends one page and resolves on its ack; rejects with the error frame's `code` when refused. */
export type SendPage = (page: VisitorPage) => Promise<unknown>;

/**
 * Fits a page into the protocol's limits, which the server enforces: a longer
 * title is cut, a longer URL loses its query and fragment first.
 * @example fitPage('https://shop.example/p?utm=…(3000 chars)', 'Shoes') // { url: 'https://shop.example/p', title: 'Shoes' }
 */
export function fitPage(url: string, title: string): VisitorPage {
  return {
    url: url.length > LIMITS.pageUrl ? (url.split(/[?#]/)[0] ?? '').slice(0, LIMITS.pageUrl) : url,
    title: title.slice(0, LIMITS.pageTitle),
  };
}

const keyOf = (page: VisitorPage) => `${page.url}\n${page.title}`;

export class PageReporter {
  private latest: VisitorPage;
  /** The last page done with: the one the session started with, then each acknowledged (or refused for good). */
  private settled: string;
  private send: SendPage | null = null;
  private sending = false;

  /** `initial`: the page the session is started with, so the server has it already. */
  constructor(initial: VisitorPage) {
    this.latest = initial;
    this.settled = keyOf(initial);
  }

  /** The page the visitor is on now. */
  get page(): VisitorPage {
    return this.latest;
  }

  /** From now on pages go out through `send`; call `flush` once the link is up. */
  start(send: SendPage): void {
    this.send = send;
  }

  /**
   * The visitor is on `page` now: sent at once, or right after the frame on its way.
   * `again`: send it even if it is the page the server last had from this tab (the visitor came
   * back to this tab, and another tab of theirs may have reported its own page since).
   */
  set(page: VisitorPage, again = false): void {
    this.latest = page;
    if (again) this.settled = '';
    void this.flush();
  }

  /** Sends the latest page unless it is settled; call on every (re)connect. */
  async flush(): Promise<void> {
    const send = this.send;
    if (!send || this.sending) return;
    this.sending = true;
    try {
      for (let page = this.latest; keyOf(page) !== this.settled; page = this.latest) {
        try {
          await send(page);
        } catch (error) {
          // Link down: the next connect flushes again. Refused as invalid: retrying would not help.
          if ((error as { code?: string }).code !== 'bad_request') return;
        }
        this.settled = keyOf(page);
      }
    } finally {
      this.sending = false;
    }
  }
}
