/**
 * What every (re)connect does, so that nothing said while the console was
 * away is missed: the first page of each list that was loaded (and of the
 * current tab), the messages after the last contiguous one of every loaded
 * conversation, then the replies still unsent.
 */
import { type InboxState, TABS, type Tab } from './inbox-state';
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
