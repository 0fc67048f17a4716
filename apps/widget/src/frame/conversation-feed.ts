/**
 * Keeps the visitor's timeline in step with the server: a message from any
 * source is shown once; a live one that skips seqs means an event was missed,
 * so what lies between is fetched; `catchUp` (after every connect, and as
 * the periodic missed-event check) fetches what came after the last seq seen
 * in each conversation, page by page until the server says there is no more.
 */
import { type SyncPage, syncAfter } from '@parley/client';
import type { MessageDTO } from '@parley/protocol';
import type { TimelineModel } from './timeline-model.js';

export interface FeedDeps {
  model: TimelineModel;
  fetchPage(conversationId: string, afterSeq: number): Promise<SyncPage>;
  /** Shows a message (false when it was already shown); `live` ones may chime. */
  show(message: MessageDTO, live: boolean): boolean;
  /** The conversation the session said is open, synced even before a message of it is shown. */
  openConversationId: string | null;
}

export interface ConversationFeed {
  /** A message from the server; true when it was new. */
  receive(message: MessageDTO, live: boolean): boolean;
  sync(conversationId: string): Promise<void>;
  /** Fetches what was missed in every conversation shown. A link that drops midway ends it: the next connect starts over. */
  catchUp(): Promise<void>;
}

export function createConversationFeed({
  model,
  fetchPage,
  show,
  openConversationId,
}: FeedDeps): ConversationFeed {
  const receive = (message: MessageDTO, live: boolean): boolean => {
    const gap = live && model.skipsAfterLast(message);
    if (!show(message, live)) return false;
    if (gap) void sync(message.conversationId).catch(() => undefined);
    return true;
  };
  const sync = (conversationId: string): Promise<void> =>
    syncAfter(
      (afterSeq) => fetchPage(conversationId, afterSeq),
      () => model.lastSeq(conversationId),
      (message) => receive(message, true),
    );
  return {
    receive,
    sync,
    async catchUp() {
      const ids = model.conversationIds();
      if (openConversationId) ids.add(openConversationId);
      try {
        for (const id of ids) await sync(id);
      } catch {
        // Resumed from the last seq seen on the next connect or check.
      }
    },
  };
}
