/**
 * Conversations' messages in the store: a conversation fetched with its
 * latest messages, earlier pages on scroll, the messages after the last
 * contiguous one fetched over the socket (resync, or a gap), and every
 * message received — see incoming-message.ts for what that does.
 */
import { syncAfter } from '@parley/client';
import type { ConversationDetail, ConversationDTO, MessageDTO } from '@parley/protocol';
import { messageOf } from '../lib/error-message';
import {
  type InboxState,
  lastContiguousSeq,
  mergeMessages,
  type Thread,
  withConversations,
} from './inbox-state';
import { followUpsOf, withMessage } from './incoming-message';
import { loadVisitor } from './visitors';
import type { WorkspaceDeps } from './workspace-deps';

const emptyThread: Thread = { messages: [], hasEarlier: false, loading: false, error: null };

export function withThreadChange(
  state: InboxState,
  conversationId: string,
  change: Partial<Thread>,
): InboxState {
  const thread = state.threads[conversationId] ?? emptyThread;
  return { ...state, threads: { ...state.threads, [conversationId]: { ...thread, ...change } } };
}

/** A fetched conversation: its row, its visitor, and its latest messages merged with any that came live meanwhile. */
export function withThreadDetail(state: InboxState, detail: ConversationDetail): InboxState {
  const id = detail.conversation.id;
  const next = withConversations(state, [detail.conversation]);
  const existing = next.threads[id]?.messages ?? [];
  return {
    ...next,
    visitors: { ...next.visitors, [detail.visitor.id]: detail.visitor },
    threads: {
      ...next.threads,
      [id]: {
        messages: mergeMessages(detail.messages, existing),
        hasEarlier: detail.hasEarlier,
        loading: false,
        error: null,
      },
    },
  };
}

/** A page of earlier messages, scrolled back to. */
export function withEarlierMessages(
  state: InboxState,
  conversationId: string,
  messages: MessageDTO[],
  hasEarlier: boolean,
): InboxState {
  const thread = state.threads[conversationId];
  if (!thread) return state;
  return withThreadChange(state, conversationId, {
    messages: mergeMessages(thread.messages, messages),
    hasEarlier,
  });
}

export class Threads {
  private readonly fetching = new Set<string>();

  constructor(private readonly deps: WorkspaceDeps) {}

  /** A message from any source (live ones with their conversation's row): applied once, with what must follow it. */
  receive(message: MessageDTO, live: boolean, row?: ConversationDTO): void {
    const { store, onArrival } = this.deps;
    const before = store.get();
    store.update((s) => withMessage(s, message, row));
    const next = followUpsOf(before, message, live);
    if (next.loadConversation) void this.load(message.conversationId);
    if (next.syncThread) void this.sync(message.conversationId);
    const conversation = store.get().conversations[message.conversationId];
    if (next.announce && conversation) onArrival({ kind: 'message', conversation, text: message.text });
  }

  async load(conversationId: string, prefetched?: Promise<ConversationDetail | null>): Promise<void> {
    if (this.fetching.has(conversationId)) return;
    const { store, http } = this.deps;
    this.fetching.add(conversationId);
    store.update((s) => withThreadChange(s, conversationId, { loading: true, error: null }));
    try {
      const detail = (await prefetched) ?? (await http.conversation(conversationId));
      store.update((s) => withThreadDetail(s, detail));
      if (store.get().selectedId === conversationId) void loadVisitor(this.deps, detail.visitor.id);
    } catch (error) {
      store.update((s) => withThreadChange(s, conversationId, { loading: false, error: messageOf(error) }));
    } finally {
      this.fetching.delete(conversationId);
    }
  }

  async loadEarlier(conversationId: string): Promise<void> {
    const first = this.deps.store.get().threads[conversationId]?.messages[0];
    if (!first) return;
    const { messages, hasMore } = await this.deps.http.messages(conversationId, {
      beforeSeq: first.seq,
      limit: 200,
    });
    this.deps.store.update((s) => withEarlierMessages(s, conversationId, messages, hasMore));
  }

  /** Fetches the messages after the last contiguous one over the socket, page by page until the server says no more. */
  async sync(conversationId: string): Promise<void> {
    const { socket, store } = this.deps;
    const thread = store.get().threads[conversationId];
    if (!socket.connected || !thread || thread.loading) return;
    try {
      await syncAfter(
        (afterSeq) => socket.request('conversation.sync', { conversationId, afterSeq }),
        () => lastContiguousSeq(store.get().threads[conversationId]?.messages ?? []),
        (message) => this.receive(message, false),
      );
    } catch {
      // The next session.ready (or missed-event check) tries again.
    }
  }
}
