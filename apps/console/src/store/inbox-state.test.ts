/** The inbox's pure state changes: tabs, exactly-once message merging, row updates from new messages. */
import type { ConversationDTO, MessageDTO } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { applyMessage, lastContiguousSeq, mergeMessages, tabOf } from './inbox-state';

const message = (seq: number, kind: 'visitor' | 'operator' = 'visitor'): MessageDTO => ({
  id: `m${seq}`,
  conversationId: 'c1',
  seq,
  clientId: null,
  author: { kind, id: kind, name: null, avatarUrl: null },
  text: `text ${seq}`,
  createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
});

const conversation: ConversationDTO = {
  id: 'c1',
  siteId: 's',
  visitorId: 'v',
  visitorName: '#ABCDEF',
  status: 'open',
  channel: 'chat',
  assigneeId: null,
  lastSeq: 1,
  lastMessage: null,
  unreadCount: 1,
  waitingSince: message(1).createdAt,
  createdAt: message(1).createdAt,
  closedAt: null,
};

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

  it('counts visitor messages as unanswered until an operator replies, and ignores repeats', () => {
    const waiting = applyMessage(conversation, message(2));
    expect(waiting.unreadCount).toBe(2);
    expect(waiting.waitingSince).toBe(conversation.waitingSince);
    expect(applyMessage(waiting, message(2))).toBe(waiting);
    const answered = applyMessage(waiting, message(3, 'operator'));
    expect(answered).toMatchObject({ unreadCount: 0, waitingSince: null, lastSeq: 3 });
    expect(answered.lastMessage?.authorKind).toBe('operator');
  });

  it('puts conversations in tabs: open chats, requests, closed', () => {
    expect(tabOf(conversation)).toBe('open');
    expect(tabOf({ ...conversation, channel: 'offline_request' })).toBe('requests');
    expect(tabOf({ ...conversation, channel: 'offline_request', status: 'closed' })).toBe('closed');
  });
});
