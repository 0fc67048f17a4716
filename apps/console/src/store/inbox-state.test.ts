/** The inbox's pure state changes: tabs, the list's order, exactly-once message merging, newest row snapshots. */
import { describe, expect, it } from 'vitest';
import {
  isOlderSnapshot,
  lastContiguousSeq,
  listOf,
  mergeMessages,
  tabOf,
  withConversations,
} from './inbox-state';
import { at, buildConversation, buildMessage, buildState } from './test-factories';

const message = buildMessage;
const conversation = buildConversation();

describe('inbox state', () => {
  it('merges messages by seq, each once, in order', () => {
    const merged = mergeMessages([message(1), message(3)], [message(3), message(2), message(4)]);
    expect(merged.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
    expect(mergeMessages(merged, [message(4)])).toHaveLength(4);
  });

  it('finds where to resume: the last seq before a gap', () => {
    expect(lastContiguousSeq([message(1), message(2), message(5)])).toBe(2);
    expect(lastContiguousSeq([message(3), message(4)])).toBe(4);
    expect(lastContiguousSeq([])).toBe(0);
  });

  it('puts conversations in tabs: open chats, requests, closed', () => {
    expect(tabOf(conversation)).toBe('open');
    expect(tabOf({ ...conversation, channel: 'offline_request' })).toBe('requests');
    expect(tabOf({ ...conversation, channel: 'offline_request', status: 'closed' })).toBe('closed');
  });

  it("orders a tab's list as the server does: last activity, newest first, then id", () => {
    const rows = [
      buildConversation({ id: 'a', lastActivityAt: at(5) }),
      buildConversation({ id: 'b', lastActivityAt: at(9) }),
      buildConversation({ id: 'c', lastActivityAt: at(5) }),
      buildConversation({ id: 'd', lastActivityAt: at(7), status: 'closed' }),
      // Created and last written long ago, reopened just now: activity is what counts.
      buildConversation({ id: 'e', createdAt: at(0), lastActivityAt: at(8) }),
    ];
    const { conversations } = buildState(rows);
    expect(listOf(conversations, 'open')).toEqual(['b', 'e', 'c', 'a']);
    expect(listOf(conversations, 'closed')).toEqual(['d']);
  });

  it('moves a reopened conversation to where its new activity puts it', () => {
    const older = buildConversation({ id: 'old', status: 'closed', closedAt: at(4), lastActivityAt: at(3) });
    const newer = buildConversation({ id: 'new', lastActivityAt: at(6) });
    const state = buildState([older, newer]);
    expect(listOf(state.conversations, 'open')).toEqual(['new']);
    const reopened = withConversations(state, [
      { ...older, status: 'open', closedAt: null, lastActivityAt: at(20) },
    ]);
    expect(listOf(reopened.conversations, 'open')).toEqual(['old', 'new']);
  });

  it('never replaces a conversation with an older snapshot of it', () => {
    const open = buildConversation({ lastSeq: 3, lastActivityAt: at(3) });
    const closed = { ...open, status: 'closed' as const, closedAt: at(4) };
    const reopened = { ...open, lastActivityAt: at(5) };
    const newer = { ...open, lastSeq: 4, lastActivityAt: at(4) };
    // Fewer messages; the same messages but earlier activity; open where a close came since.
    expect(isOlderSnapshot({ ...open, lastSeq: 2 }, open)).toBe(true);
    expect(isOlderSnapshot(open, reopened)).toBe(true);
    expect(isOlderSnapshot(open, closed)).toBe(true);
    // And the other way round, each is news.
    expect(isOlderSnapshot(closed, open)).toBe(false);
    expect(isOlderSnapshot(reopened, closed)).toBe(false);
    expect(isOlderSnapshot(newer, reopened)).toBe(false);

    const state = buildState([closed]);
    expect(withConversations(state, [open])).toBe(state);
    expect(withConversations(state, [reopened]).conversations.c1).toBe(reopened);
  });
});
