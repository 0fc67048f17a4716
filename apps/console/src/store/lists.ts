/**
 * The conversation lists, one per tab: the first page (again after every
 * reconnect) and the next ones on demand. Pages only add rows to the store;
 * where a row shows is `listOf`'s business.
 */
import type { ConversationList } from '@parley/protocol';
import { messageOf } from '../lib/error-message';
import { type InboxState, type Tab, type TabState, tabQuery, withConversations } from './inbox-state';
import type { WorkspaceDeps } from './workspace-deps';

export function withTabChange(state: InboxState, tab: Tab, change: Partial<TabState>): InboxState {
  return { ...state, tabs: { ...state.tabs, [tab]: { ...state.tabs[tab], ...change } } };
}

/** A page of a tab's list: its rows, and where the next page starts. */
export function withListPage(state: InboxState, tab: Tab, page: ConversationList, more: boolean): InboxState {
  const next = withConversations(state, page.items);
  const tabState = next.tabs[tab];
  // A refresh of the first page keeps the cursor of pages loaded further down.
  const nextCursor = more || !tabState.loaded ? page.nextCursor : tabState.nextCursor;
  return withTabChange(next, tab, { loaded: true, loading: false, nextCursor, error: null });
}

/** Loads a tab's first page (`more`: its next page); `prefetched` may stand in for the Open tab's first. */
export async function loadTab(
  deps: WorkspaceDeps,
  tab: Tab,
  more = false,
  prefetched?: Promise<ConversationList | null>,
): Promise<void> {
  const { store, http } = deps;
  const current = store.get().tabs[tab];
  const tagId = store.get().tagFilter;
  const segmentId = store.get().segmentFilter;
  if (more && !current.nextCursor) return;
  const { siteFilter } = store.get();
  store.update((s) => withTabChange(s, tab, { loading: true, error: null }));
  try {
    const page =
      (tab === 'open' && !more && !siteFilter && !tagId && !segmentId && (await prefetched)) ||
      (await http.listConversations({
        ...tabQuery(tab, siteFilter),
        ...(tagId && { tagId }),
        ...(segmentId && { segmentId }),
        ...(more && current.nextCursor && { cursor: current.nextCursor }),
      }));
    // The site switcher moved meanwhile: the rows are still true, the page and its cursor are not the tab's.
    if (segmentId && store.get().segmentFilter === segmentId)
      store.update((s) => withSegmentVisitors(s, page.items));
    if (store.get().siteFilter !== siteFilter) store.update((s) => withConversations(s, page.items));
    else store.update((s) => withListPage(s, tab, page, more));
  } catch (error) {
    store.update((s) => withTabChange(s, tab, { loading: false, error: messageOf(error) }));
  }
}

/** The visitors of rows the server returned under the segment filter: the lists show their conversations. */
function withSegmentVisitors(state: InboxState, items: ConversationList['items']): InboxState {
  const visitors = { ...state.segmentVisitors };
  for (const item of items) visitors[item.visitorId] = true;
  return { ...state, segmentVisitors: visitors };
}

/** Shows only conversations of visitors in `segmentId` (null: all): every tab is fetched again with it. */
export function setSegmentFilter(deps: WorkspaceDeps, segmentId: string | null): void {
  const { store } = deps;
  if (store.get().segmentFilter === segmentId) return;
  store.update((s) => {
    let next: InboxState = { ...s, segmentFilter: segmentId, segmentVisitors: {} };
    for (const tab of ['open', 'closed', 'requests'] as const)
      next = withTabChange(next, tab, { loaded: false, nextCursor: null });
    return next;
  });
  void loadTab(deps, store.get().tab);
}
