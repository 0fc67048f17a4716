/**
 * What every (re)connect does, so that nothing said while the console was
 * away is missed: the first page of each list that was loaded (and of the
 * current tab), the messages after the last contiguous one of every loaded
 * conversation, then the replies still unsent. And, every few seconds while
 * connected, the cheap check that no event was missed while the link was up
 * (a node killed between commit and publish, Redis away): see
 * docs/ARCHITECTURE.md, "Missed events".
 */
import {
  type InboxState,
  lastContiguousSeq,
  TABS,
  type Tab,
  tabQuery,
  withConversations,
} from './inbox-state';
import { loadTab } from './lists';
import type { Outbox } from './outbox';
import type { Threads } from './threads';
import type { WorkspaceDeps } from './workspace-deps';

/** The tabs whose first page is fetched again: those loaded before, and the one on screen. */
export function tabsToRefresh(state: InboxState): Tab[] {
  return TABS.filter((t) => state.tabs[t].loaded || t === state.tab);
}

export async function resync(deps: WorkspaceDeps, threads: Threads, outbox: Outbox): Promise<void> {
  const state = deps.store.get();
  await Promise.all([
    ...tabsToRefresh(state).map((t) => loadTab(deps, t)),
    ...Object.keys(state.threads).map((id) => threads.sync(id)),
  ]);
  outbox.resendUnsent();
}

/**
 * The threads whose row says more was written than the thread holds after
 * its last contiguous message: what a missed `message.created` leaves behind.
 */
export function threadsBehind(state: InboxState): string[] {
  return Object.entries(state.threads)
    .filter(([id, thread]) => {
      const row = state.conversations[id];
      return !!row && !thread.loading && row.lastSeq > lastContiguousSeq(thread.messages);
    })
    .map(([id]) => id);
}

/**
 * The missed-event check: the current tab's first page of rows again (one
 * indexed query: rows, previews and new conversations an event would have brought),
 * then a sync of the selected thread and of every loaded thread its row says
 * is behind. Healthy, it costs one list request and one empty sync.
 */
export async function checkMissedEvents(deps: WorkspaceDeps, threads: Threads): Promise<void> {
  const { store, http } = deps;
  try {
    // Rows only: the tab's cursor and "Loading…" stay as they are, so nothing on screen flickers.
    const { tab, siteFilter } = store.get();
    const page = await http.listConversations(tabQuery(tab, siteFilter));
    store.update((s) => withConversations(s, page.items));
  } catch {
    return; // Down: the reconnect's resync covers it.
  }
  const state = store.get();
  const behind = new Set(threadsBehind(state));
  if (state.selectedId && state.threads[state.selectedId]) behind.add(state.selectedId);
  await Promise.all([...behind].map((id) => threads.sync(id)));
}
