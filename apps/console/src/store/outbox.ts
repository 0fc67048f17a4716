/**
 * The operator's replies until the server has them. A reply is queued with a
 * fresh clientId and sent over the socket when it is up, else over HTTP; the
 * clientId makes any repeat harmless, so a reply whose connection was lost is
 * simply sent again after the next reconnect (see resync.ts). A refusal is
 * final until the operator retries or discards it. The state changes are
 * pure functions; `Outbox` does the sending.
 */
import type { MessageDTO } from '@parley/protocol';
import { ApiError } from '../api/http-client';
import { FrameError } from '../api/socket-client';
import { newClientId } from '../lib/client-id';
import { messageOf } from '../lib/error-message';
import type { InboxState, OutboxItem } from './inbox-state';
import type { WorkspaceDeps } from './workspace-deps';

/** Queues a reply and empties the conversation's draft it came from. */
export function withQueuedReply(state: InboxState, item: OutboxItem): InboxState {
  return {
    ...state,
    outbox: [...state.outbox, item],
    drafts: { ...state.drafts, [item.conversationId]: '' },
  };
}

export function withOutboxChange(
  state: InboxState,
  clientId: string,
  change: Partial<OutboxItem>,
): InboxState {
  return {
    ...state,
    outbox: state.outbox.map((o) => (o.clientId === clientId ? { ...o, ...change } : o)),
  };
}

/** Drops a reply from the outbox (acked, or discarded); the same state when it is not there. */
export function withoutOutboxItem(state: InboxState, clientId: string): InboxState {
  if (!state.outbox.some((o) => o.clientId === clientId)) return state;
  return { ...state, outbox: state.outbox.filter((o) => o.clientId !== clientId) };
}

/** Replies still on their way: sent again after a reconnect. Refused ones wait for the operator. */
export function unsentReplies(state: InboxState): OutboxItem[] {
  return state.outbox.filter((o) => o.state === 'sending');
}

/** True when the server answered and said no (as opposed to the answer getting lost). */
export function isRefusal(error: unknown): boolean {
  return error instanceof FrameError || (error instanceof ApiError && error.status >= 400);
}

export class Outbox {
  /** `onStored` gets the stored message of each acked reply, to show it like any other. */
  constructor(
    private readonly deps: WorkspaceDeps,
    private readonly onStored: (message: MessageDTO) => void,
  ) {}

  send(conversationId: string, text: string): void {
    const item: OutboxItem = { clientId: newClientId(), conversationId, text, state: 'sending', error: null };
    this.deps.store.update((s) => withQueuedReply(s, item));
    void this.deliver(item);
  }

  retry(clientId: string): void {
    const item = this.deps.store.get().outbox.find((o) => o.clientId === clientId);
    if (!item) return;
    this.deps.store.update((s) => withOutboxChange(s, clientId, { state: 'sending', error: null }));
    void this.deliver({ ...item, state: 'sending' });
  }

  discard(clientId: string): void {
    this.deps.store.update((s) => withoutOutboxItem(s, clientId));
  }

  resendUnsent(): void {
    for (const item of unsentReplies(this.deps.store.get())) void this.deliver(item);
  }

  /** Over the socket when it is up, else over HTTP; either way the clientId makes a repeat harmless. */
  private async deliver(item: OutboxItem): Promise<void> {
    const { socket, http, store } = this.deps;
    const request = { clientId: item.clientId, text: item.text };
    try {
      const { message } = socket.isOpen
        ? await socket.request('message.send', { conversationId: item.conversationId, ...request })
        : await http.sendMessage(item.conversationId, request);
      this.onStored(message);
    } catch (error) {
      // A lost connection is retried on the next session.ready.
      if (isRefusal(error)) {
        store.update((s) => withOutboxChange(s, item.clientId, { state: 'failed', error: messageOf(error) }));
      }
    }
  }
}
