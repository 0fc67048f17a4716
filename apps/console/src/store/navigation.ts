/**
 * Where the operator is: the tab, the open conversation (kept in the URL, so
 * a reload or a link opens it again), moving through the list by keyboard,
 * and jumping to a conversation from a notification or the visitor card.
 */
import type { ConversationDTO } from '@parley/protocol';
import { navigate } from '../lib/location';
import { type InboxState, listOf, type Tab, tabOf, withConversations } from './inbox-state';
import { loadTab } from './lists';
import { pathForConversation, routeFromPath } from './routes';
import type { Threads } from './threads';
import { loadVisitor } from './visitors';
import type { WorkspaceDeps } from './workspace-deps';

export function withSelection(state: InboxState, conversationId: string | null): InboxState {
  return state.selectedId === conversationId ? state : { ...state, selectedId: conversationId };
}

/**
 * The conversation `delta` rows away from the selected one in the current
 * tab's list, stopping at either end; with nothing selected, the first row
 * (down) or the last (up). Null for an empty list.
 */
export function neighbourOf(state: InboxState, delta: 1 | -1): string | null {
  const ids = listOf(
    state.conversations,
    state.tab,
    state.siteFilter,
    state.tagFilter,
    state.segmentFilter ? state.segmentVisitors : null,
  );
  if (ids.length === 0) return null;
  const index = state.selectedId ? ids.indexOf(state.selectedId) : -1;
  const nextIndex = index === -1 ? (delta > 0 ? 0 : ids.length - 1) : index + delta;
  return ids[Math.min(ids.length - 1, Math.max(0, nextIndex))] ?? null;
}

export class Navigation {
  constructor(
    private readonly deps: WorkspaceDeps,
    private readonly threads: Threads,
  ) {}

  selectTab(tab: Tab): void {
    this.deps.store.update((s) => (s.tab === tab ? s : { ...s, tab }));
    void loadTab(this.deps, tab);
  }

  /** Opens a conversation (null: none): in the URL, with its messages and visitor card fetched if needed. */
  select(conversationId: string | null): void {
    const { store } = this.deps;
    store.update((s) => withSelection(s, conversationId));
    // Within the inbox the address follows the selection in place; from elsewhere (settings, via a
    // notification) opening a conversation is a step Back can undo.
    const inInbox = routeFromPath(location.pathname).view === 'inbox';
    navigate(pathForConversation(conversationId), { replace: inInbox });
    if (!conversationId) return;
    const state = store.get();
    if (!state.threads[conversationId]) void this.threads.load(conversationId);
    const conversation = state.conversations[conversationId];
    if (conversation) void loadVisitor(this.deps, conversation.visitorId);
  }

  /** Alt+↓ / Alt+↑. */
  selectRelative(delta: 1 | -1): void {
    const id = neighbourOf(this.deps.store.get(), delta);
    if (id) this.select(id);
  }

  /** Shows a conversation in the tab it lives in (from a notification or the visitor card). */
  showConversation(conversation: ConversationDTO): void {
    this.deps.store.update((s) => withConversations({ ...s, tab: tabOf(conversation) }, [conversation]));
    this.select(conversation.id);
  }
}
