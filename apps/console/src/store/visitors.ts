/** The visitor card's data: the visitor and all their past conversations, fetched when a conversation opens. */
import type { VisitorDetail } from '@parley/protocol';
import type { InboxState } from './inbox-state';
import type { WorkspaceDeps } from './workspace-deps';

export function withVisitorDetail(state: InboxState, detail: VisitorDetail): InboxState {
  const { visitor, conversations } = detail;
  return {
    ...state,
    visitors: { ...state.visitors, [visitor.id]: visitor },
    visitorConversations: { ...state.visitorConversations, [visitor.id]: conversations },
  };
}

export async function loadVisitor(deps: WorkspaceDeps, visitorId: string): Promise<void> {
  try {
    const detail = await deps.http.visitor(visitorId);
    deps.store.update((s) => withVisitorDetail(s, detail));
  } catch {
    // The card shows what the conversation brought; the history is a bonus.
  }
}
