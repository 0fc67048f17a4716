/**
 * What a message arriving does — live, from a resync, or as the ack of the
 * operator's own reply: the pure change to the state (its conversation's row,
 * its thread, the visitor's typing line, its outbox entry) and what has to
 * happen next (fetch a conversation not seen yet, fill a gap in the thread,
 * tell the operator). `Threads.receive` does both.
 *
 * The row changes only as the server says: a live `message.created` carries
 * the conversation as the message left it (unless an older snapshot, it
 * replaces the row); an ack or a resynced message carries no row and leaves it.
 */
import type { ConversationDTO, MessageDTO } from '@parley/protocol';
import { type InboxState, mergeMessages, withConversations } from './inbox-state';
import { withoutOutboxItem } from './outbox';

export function withMessage(state: InboxState, message: MessageDTO, row?: ConversationDTO): InboxState {
  const id = message.conversationId;
  let next = row ? withConversations(state, [row]) : state;
  const thread = next.threads[id];
  if (thread) {
    next = {
      ...next,
      threads: { ...next.threads, [id]: { ...thread, messages: mergeMessages(thread.messages, [message]) } },
    };
  }
  // The visitor sent what they were typing: the preview line goes.
  if (message.author.kind === 'visitor' && next.typing[id]) {
    const typing = { ...next.typing };
    delete typing[id];
    next = { ...next, typing };
  }
  if (message.clientId) next = withoutOutboxItem(next, message.clientId);
  return next;
}

export interface MessageFollowUps {
  /** The conversation is not in the store yet: fetch it (its row and thread). */
  loadConversation: boolean;
  /** The message skipped seqs after the thread's last one (a lost frame, a node switch): fetch what is between. */
  syncThread: boolean;
  /** A new visitor message that arrived live: chime and notify. */
  announce: boolean;
}

/** What must follow `message`, judged on the state before it was applied. */
export function followUpsOf(before: InboxState, message: MessageDTO, live: boolean): MessageFollowUps {
  const conversation = before.conversations[message.conversationId];
  const last = before.threads[message.conversationId]?.messages.at(-1);
  const isNew = !conversation || message.seq > conversation.lastSeq;
  return {
    loadConversation: !conversation,
    syncThread: last !== undefined && message.seq > last.seq + 1,
    announce: live && isNew && message.author.kind === 'visitor',
  };
}
