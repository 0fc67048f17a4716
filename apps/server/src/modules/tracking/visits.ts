/**
 * Visit splitting, pure: which items of a batch belong to the visitor's current visit and which
 * begin a new one (a gap of more than TRACKING_LIMITS.visitGapMinutes). A new visit's source is
 * classified from the item that began it: a page with its referrer, or (any other item after a
 * gap: a ping from a page left open overnight) the visitor's current page, as a direct visit.
 *
 * Batches can arrive out of order (a page's beacon overtaken by the next page's fetch on a slow
 * network or a busy server): a page older than the current visit's start, within the gap of it, is
 * the visit's real landing, and the visit is classified again from it.
 */
import { TRACKING_LIMITS, type TrackItem } from '@parley/protocol';
import { type ClassifiedSource, classifySource } from './source.js';

export const VISIT_GAP_MS = TRACKING_LIMITS.visitGapMinutes * 60_000;

/** The visit an item falls into: the current one (index -1) or a new one (its index in `started`). */
export interface PlannedItem {
  item: TrackItem;
  at: Date;
  visit: number;
}

export interface NewVisit {
  number: number;
  startedAt: Date;
  lastActivityAt: Date;
  landingUrl: string | null;
  referrer: string | null;
  source: ClassifiedSource;
}

export interface VisitPlan {
  items: PlannedItem[];
  /** Visits the batch begins, oldest first. */
  started: NewVisit[];
  /** The current visit's last activity after this batch, when it goes on. */
  currentLastActivityAt: Date | null;
  /** A page of the batch that came before the current visit's start: its landing from now on. */
  currentLanding: Landing | null;
}

export type Landing = Pick<NewVisit, 'startedAt' | 'landingUrl' | 'referrer' | 'source'>;

/**
 * @param current the visitor's latest visit, if any
 * @param items the batch, in any order (`ago` is milliseconds before `now`)
 * @param currentUrl the visitor's page before this batch (landing of a visit begun by a non-page item)
 */
export function planVisits(
  current: { number: number; startedAt: Date; lastActivityAt: Date } | null,
  items: readonly TrackItem[],
  now: Date,
  currentUrl: string | null,
): VisitPlan {
  const timed = items
    .map((item) => ({ item, at: new Date(now.getTime() - item.ago) }))
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  const started: NewVisit[] = [];
  const planned: PlannedItem[] = [];
  let lastActivity = current?.lastActivityAt ?? null;
  let currentLastActivityAt: Date | null = null;
  let number = current?.number ?? 0;
  let visit = current ? -1 : -2;
  let url = currentUrl;
  const firstPage = timed.find(({ item }) => item.t === 'page');
  const currentLanding =
    current &&
    firstPage?.item.t === 'page' &&
    firstPage.at < current.startedAt &&
    current.startedAt.getTime() - firstPage.at.getTime() <= VISIT_GAP_MS
      ? landingOf(firstPage.item, firstPage.at)
      : null;
  for (const { item, at } of timed) {
    if (visit === -2 || (lastActivity && at.getTime() - lastActivity.getTime() > VISIT_GAP_MS)) {
      number += 1;
      started.push({
        number,
        lastActivityAt: at,
        ...(item.t === 'page' ? landingOf(item, at) : landingOf({ url, referrer: null }, at)),
      });
      visit = started.length - 1;
    }
    // An item older than the visit's latest activity (a late retry) stays in the visit it reached.
    if (!lastActivity || at > lastActivity) lastActivity = at;
    if (visit === -1) currentLastActivityAt = lastActivity;
    else if (started[visit]) (started[visit] as NewVisit).lastActivityAt = lastActivity;
    if (item.t === 'page') url = item.url;
    planned.push({ item, at, visit });
  }
  return { items: planned, started, currentLastActivityAt, currentLanding };
}

function landingOf(page: { url: string | null; referrer?: string | null }, at: Date): Landing {
  const landingUrl = page.url;
  const referrer = page.referrer || null;
  return { startedAt: at, landingUrl, referrer, source: classifySource({ landingUrl, referrer }) };
}
