import type { MentionDTO } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { withMention } from './mentions';

const mention = (id: string): MentionDTO => ({
  id,
  messageId: `m-${id}`,
  conversationId: 'c1',
  siteId: 's1',
  authorName: 'Anna',
  text: '@Boris look',
  createdAt: '2026-01-01T00:00:00.000Z',
  readAt: null,
});

describe('withMention', () => {
  it('adds a live mention first and counts it unread, once', () => {
    const empty = { items: [], unreadCount: 0, loaded: true };
    const one = withMention(empty, mention('a'));
    expect(one).toMatchObject({ unreadCount: 1, items: [{ id: 'a' }] });
    const two = withMention(one, mention('b'));
    expect(two.items.map((m) => m.id)).toEqual(['b', 'a']);
    expect(withMention(two, mention('a'))).toBe(two);
  });
});
