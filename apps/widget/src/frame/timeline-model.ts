/**
 * The conversation as the visitor sees it, without the DOM: every message
 * once, in order (by seq within a conversation, by time across
 * conversations), followed by the visitor's unsent messages (sending or
 * failed). Remembers per conversation the last seq up to which nothing is
 * missing: the resume point after a reconnect, after a live message that
 * skipped seqs, and for the missed-event check. `timeline.ts` draws it.
 */
import type { MessageDTO } from '@parley/protocol';

/** An unsent message's state: as in the outbox. */
export type PendingState = 'sending' | 'failed';

export interface Entry {
  message: MessageDTO | null;
  clientId: string | null;
  /** For unsent entries (message null). */
  text: string;
  state: 'sent' | PendingState;
}

/** Where a server message went: its index, the unsent copy it replaced (index before the insert), and whether it continues the previous operator's run. */
export interface Placement {
  index: number;
  replaced: number | null;
  continued: boolean;
}

export interface TimelineModel {
  readonly entries: readonly Entry[];
  /** Adds a message from the server; null when it was already there. */
  add(message: MessageDTO): Placement | null;
  /** Adds an unsent message at the end; its index. */
  addPending(clientId: string, text: string, state?: PendingState): number;
  /**
   * Changes an unsent message's state, or takes it out (`null`: discarded);
   * its index, or -1 when it is not (or no longer) unsent.
   */
  setPending(clientId: string, state: PendingState | null): number;
  /** The resume point: the last seq of the conversation with none missing before it. */
  lastSeq(conversationId: string): number;
  /** True when a live `message` skips seqs after the resume point: an event was missed. */
  skipsAfterLast(message: MessageDTO): boolean;
  conversationIds(): Set<string>;
}

/** A closure, not a class: locals minify, and this ships in the size-budgeted frame. */
export function createTimelineModel(): TimelineModel {
  const entries: Entry[] = [];
  /** Entries are in seq order within a conversation: the resume point is where its first run of seqs ends. */
  const lastSeq = (conversationId: string) => {
    let last = 0;
    for (const { message } of entries) {
      if (message?.conversationId !== conversationId) continue;
      if (last && message.seq !== last + 1) break;
      last = message.seq;
    }
    return last;
  };
  const pendingIndex = (clientId: string) => entries.findIndex((e) => !e.message && e.clientId === clientId);

  return {
    entries,
    add(message) {
      if (entries.some((e) => e.message?.id === message.id)) return null;
      const pending = message.clientId ? pendingIndex(message.clientId) : -1;
      if (pending >= 0) entries.splice(pending, 1);

      // The slot after the last message that precedes this one; unsent messages stay last.
      let index = entries.length;
      while (index > 0) {
        const before = entries[index - 1]?.message;
        if (before && isBefore(before, message)) break;
        index--;
      }
      const previous = entries[index - 1]?.message;
      const continued =
        previous?.author.kind === 'operator' &&
        message.author.kind === 'operator' &&
        previous.author.id === message.author.id;
      entries.splice(index, 0, { message, clientId: message.clientId, text: message.text, state: 'sent' });
      return { index, replaced: pending >= 0 ? pending : null, continued };
    },
    addPending(clientId, text, state = 'sending') {
      return entries.push({ message: null, clientId, text, state }) - 1;
    },
    setPending(clientId, state) {
      const index = pendingIndex(clientId);
      const entry = entries[index];
      if (entry && state) entry.state = state;
      else if (entry) entries.splice(index, 1);
      return index;
    },
    lastSeq,
    skipsAfterLast(message) {
      const last = lastSeq(message.conversationId);
      return last > 0 && message.seq > last + 1;
    },
    conversationIds: () => new Set(entries.flatMap((e) => (e.message ? [e.message.conversationId] : []))),
  };
}

function isBefore(a: MessageDTO, b: MessageDTO): boolean {
  return a.conversationId === b.conversationId ? a.seq < b.seq : a.createdAt <= b.createdAt;
}
