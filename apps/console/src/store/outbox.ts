/**
 * The operator's replies until the server has them: @parley/client's outbox
 * (in order, resent with the same clientId after a lost answer, a refusal
 * marked failed without holding up the replies after it) over the store's
 * `outbox` list. A reply goes over the socket when it is up, else over HTTP;
 * the clientId makes any repeat harmless, so a reply whose connection was
 * lost is simply sent again after the next reconnect (see resync.ts). The
 * state changes are pure functions; `Outbox` does the sending.
 */
import { createOutbox, newClientId, type Outbox as SharedOutbox } from '@parley/client';
import type { AttachmentDTO, MessageDTO, Visibility } from '@parley/protocol';
import type { InboxState, OutboxItem } from './inbox-state';
import type { WorkspaceDeps } from './workspace-deps';

/** A reply left the composer: its conversation's draft empties (other drafts stay). */
export function withSentDraft(state: InboxState, conversationId: string): InboxState {
  return { ...state, drafts: { ...state.drafts, [conversationId]: '' } };
}

/** Drops a reply from the outbox (acked, or seen arriving); the same state when it is not there. */
export function withoutOutboxItem(state: InboxState, clientId: string): InboxState {
  if (!state.outbox.some((o) => o.clientId === clientId)) return state;
  return { ...state, outbox: state.outbox.filter((o) => o.clientId !== clientId) };
}

export class Outbox {
  private readonly queue: SharedOutbox<OutboxItem>;
  private readonly store: WorkspaceDeps['store'];

  /** `onStored` gets the stored message of each acked reply, to show it like any other. */
  constructor(deps: WorkspaceDeps, onStored: (message: MessageDTO) => void) {
    const { store, socket, http } = deps;
    this.store = store;
    this.queue = createOutbox<OutboxItem>({
      read: () => store.get().outbox,
      write: (outbox) => store.update((s) => ({ ...s, outbox })),
      // Over the socket when it is up, else over HTTP; either way the clientId makes a repeat harmless.
      async deliver({ conversationId, clientId, text, visibility, fileIds }) {
        const body = {
          clientId,
          text,
          ...(visibility === 'internal' && { visibility }),
          ...(fileIds && { fileIds }),
        };
        const { message } = socket.connected
          ? await socket.request('message.send', { conversationId, ...body })
          : await http.sendMessage(conversationId, body);
        onStored(message);
      },
    });
  }

  send(conversationId: string, text: string, visibility?: Visibility): void {
    this.store.update((s) => withSentDraft(s, conversationId));
    void this.queue.add({
      clientId: newClientId(),
      conversationId,
      text,
      ...(visibility === 'internal' && { visibility }),
      state: 'sending',
      error: null,
    });
  }

  /** A reply carrying files already uploaded (features/files): no text, the draft stays. */
  sendFiles(conversationId: string, files: readonly AttachmentDTO[]): void {
    const names = files.map((file) => file.name).join(', ');
    const fileIds = files.map((file) => file.id);
    void this.queue.add({
      clientId: newClientId(),
      conversationId,
      text: '',
      fileIds,
      names,
      state: 'sending',
      error: null,
    });
  }

  retry(clientId: string): void {
    void this.queue.retry(clientId);
  }

  discard(clientId: string): void {
    this.queue.discard(clientId);
  }

  /** After a reconnect: replies still on their way go again; refused ones wait for the operator. */
  resendUnsent(): void {
    void this.queue.flush();
  }
}
