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
  if (more && !current.nextCursor) return;
  const { siteFilter } = store.get();
  store.update((s) => withTabChange(s, tab, { loading: true, error: null }));
  try {
    const page =
      (tab === 'open' && !more && !siteFilter && !tagId && (await prefetched)) ||
      (await http.listConversations({
        ...tabQuery(tab, siteFilter),
        ...(tagId && { tagId }),
        ...(more && current.nextCursor && { cursor: current.nextCursor }),
      }));
    // The site switcher moved meanwhile: the rows are still true, the page and its cursor are not the tab's.
    if (store.get().siteFilter !== siteFilter) store.update((s) => withConversations(s, page.items));
    else store.update((s) => withListPage(s, tab, page, more));
  } catch (error) {
    store.update((s) => withTabChange(s, tab, { loading: false, error: messageOf(error) }));
  }
}
