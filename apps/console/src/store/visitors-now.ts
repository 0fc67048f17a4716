/**
 * "Visitors now" as the console keeps it: the watched site's rows by visitor, replaced from the
 * list (on open and after every reconnect) and changed by `visitors.activity` batches; rows leave
 * when the visitor leaves or goes quiet for `TRACKING_LIMITS.onlineSeconds`. Kept apart from the
 * inbox's store, so 2,000 rows changing every second never re-render the inbox. Pure state changes
 * (`withActivity`, `withoutStale`, `sortedRows`) are tested beside; `VisitorsNowFeed` does the I/O.
 */

import type { ClientSocket } from '@parley/client';
import {
  API_PATHS,
  type OperatorClientFrames,
  TRACKING_LIMITS,
  type VisitorNowDTO,
  type VisitorsActivityDTO,
  type VisitorsNowList,
} from '@parley/protocol';
import type { HttpClient } from '../api/http-client';
import { Store } from './store';

export type SortKey =
  | 'name'
  | 'page'
  | 'timeOnSite'
  | 'pages'
  | 'source'
  | 'location'
  | 'device'
  | 'returning'
  | 'chatting'
  | 'cart';

export interface Sort {
  key: SortKey;
  direction: 'ascending' | 'descending';
}

export interface VisitorsNowState {
  siteId: string | null;
  rows: ReadonlyMap<string, VisitorNowDTO>;
  loading: boolean;
  error: string | null;
  /** Server time minus local time (ms): ages are counted on the server's clock. */
  clockOffset: number;
}

export const initialVisitorsNow: VisitorsNowState = {
  siteId: null,
  rows: new Map(),
  loading: false,
  error: null,
  clockOffset: 0,
};

const isGone = (row: VisitorNowDTO, serverNow: number) =>
  row.left || Date.parse(row.lastSeenAt) < serverNow - TRACKING_LIMITS.onlineSeconds * 1000;

export function withList(state: VisitorsNowState, list: VisitorsNowList, localNow: number): VisitorsNowState {
  return {
    ...state,
    loading: false,
    error: null,
    clockOffset: Date.parse(list.serverTime) - localNow,
    rows: new Map(list.visitors.map((v) => [v.visitorId, v])),
  };
}

/** A batch of changed rows: the newer row wins; a visitor who left is taken out. */
export function withActivity(state: VisitorsNowState, batch: VisitorsActivityDTO): VisitorsNowState {
  if (batch.siteId !== state.siteId || batch.visitors.length === 0) return state;
  const rows = new Map(state.rows);
  for (const row of batch.visitors) {
    const known = rows.get(row.visitorId);
    if (row.left) rows.delete(row.visitorId);
    else if (
      !known ||
      Date.parse(known.lastSeenAt) <= Date.parse(row.lastSeenAt) ||
      known.conversationId !== row.conversationId
    )
      rows.set(row.visitorId, row);
  }
  return { ...state, rows };
}

/** Takes out the rows of visitors quiet for too long (nobody tells: their pings just stop). */
export function withoutStale(state: VisitorsNowState, localNow: number): VisitorsNowState {
  const serverNow = localNow + state.clockOffset;
  let rows: Map<string, VisitorNowDTO> | null = null;
  for (const [id, row] of state.rows)
    if (isGone(row, serverNow)) {
      rows ??= new Map(state.rows);
      rows.delete(id);
    }
  return rows ? { ...state, rows } : state;
}

const text = (value: string | null | undefined) => (value ?? '').toLocaleLowerCase();

const SORT_VALUE: Record<SortKey, (row: VisitorNowDTO) => string | number> = {
  name: (r) => text(r.name),
  page: (r) => text(r.currentPage?.title ?? r.currentPage?.url),
  // Longest on the site first when descending: the earlier the start, the longer.
  timeOnSite: (r) => -Date.parse(r.visitStartedAt),
  pages: (r) => r.pagesThisVisit,
  source: (r) => text(r.source ? `${r.source.kind} ${r.source.name ?? ''}` : ''),
  location: (r) => text([r.country, r.city].filter(Boolean).join(' ')),
  device: (r) => text([r.device, r.browser].filter(Boolean).join(' ')),
  returning: (r) => r.visitCount,
  chatting: (r) => (r.conversationId ? 1 : 0),
  cart: (r) => (r.cart ? Number(r.cart.amount) : -1),
};

/** The rows in the table's order; ties by most recent activity, so the order is stable. */
export function sortedRows(rows: Iterable<VisitorNowDTO>, sort: Sort): VisitorNowDTO[] {
  const value = SORT_VALUE[sort.key];
  const sign = sort.direction === 'ascending' ? 1 : -1;
  const keyed = [...rows].map((row) => ({ row, v: value(row), seen: row.lastSeenAt }));
  keyed.sort((a, b) => {
    if (a.v !== b.v) return (a.v < b.v ? -1 : 1) * sign;
    return a.seen < b.seen ? 1 : a.seen > b.seen ? -1 : a.row.visitorId < b.row.visitorId ? -1 : 1;
  });
  return keyed.map((k) => k.row);
}

/** Loads and keeps one site's list while the view is open, watching it over the socket. */
export class VisitorsNowFeed {
  readonly store = new Store<VisitorsNowState>(initialVisitorsNow);
  private sweep: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly http: HttpClient,
    private readonly socket: Pick<ClientSocket<OperatorClientFrames>, 'request' | 'connected'>,
  ) {}

  /** Shows `siteId` (null: the view closed): watches it, loads it, and stops watching the last one. */
  open(siteId: string | null): void {
    const previous = this.store.get().siteId;
    if (previous === siteId) return;
    if (previous) this.watch(previous, false);
    this.store.update(() => ({ ...initialVisitorsNow, siteId, loading: siteId !== null }));
    if (this.sweep) clearInterval(this.sweep);
    this.sweep = null;
    if (!siteId) return;
    this.sweep = setInterval(() => this.store.update((s) => withoutStale(s, Date.now())), 5000);
    void this.resync();
  }

  /** After every (re)connect: the server forgot the watch with the old socket, and rows may have changed. */
  async resync(): Promise<void> {
    const { siteId } = this.store.get();
    if (!siteId) return;
    this.watch(siteId, true);
    try {
      const list = await this.http.request<VisitorsNowList>(API_PATHS.siteVisitorsNow(siteId));
      this.store.update((s) => (s.siteId === siteId ? withList(s, list, Date.now()) : s));
    } catch (error) {
      this.store.update((s) => ({ ...s, loading: false, error: (error as Error).message }));
    }
  }

  receive(batch: VisitorsActivityDTO): void {
    this.store.update((s) => withActivity(s, batch));
  }

  private watch(siteId: string, watching: boolean): void {
    if (this.socket.connected) this.socket.request('visitors.watch', { siteId, watching }).catch(() => {});
  }
}
