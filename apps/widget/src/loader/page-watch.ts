/**
 * Follows the host page's address and title from the start, so the tracker
 * reports each page of a single-page shop and the chat frame (once it exists)
 * shows the operator where the visitor is now.
 *
 * How it notices: a look at `location.href` and `document.title` once a
 * second, passing them on only when either changed. Why not events:
 * `history.pushState` and `replaceState` fire none; wrapping them would change
 * the host page's own functions, which routers and analytics wrap too (call
 * order, identity and errors would become partly ours); the Navigation API is
 * missing from older Safari and Firefox; and none of them tells when the title
 * changes, which single-page shops set after the URL. Comparing one string a
 * second costs microseconds, touches nothing of the page, catches every kind
 * of change (push, replace, back, hash, title) with one piece of code, and
 * folds a burst of navigations into the state at the next look. Hidden tabs
 * are skipped: nobody is looking, browsers throttle their timers anyway, and
 * shops write "Come back!" into a hidden tab's title.
 */

export interface PageNow {
  url: string;
  title: string;
}

/** Look this often, in ms: soon enough for a person reading the visitor card. */
const EVERY = 1000;

/**
 * Calls `onChange` with the page as it is now whenever it differs from the
 * last look (the first is taken now), and with `returned` when the tab comes
 * back to the front: a visitor with several tabs is on the one they look at.
 */
export function watchPage(onChange: (page: PageNow, returned: boolean) => void): void {
  const look = () => `${location.href}\n${document.title}`;
  let seen = look();
  const report = (returned: boolean) => {
    try {
      if (document.hidden || (!returned && look() === seen)) return;
      seen = look();
      onChange({ url: location.href, title: document.title }, returned);
    } catch {
      // Never throw on the host page.
    }
  };
  setInterval(() => report(false), EVERY);
  document.addEventListener('visibilitychange', () => report(true));
}
