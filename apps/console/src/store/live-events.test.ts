/** Live events other than messages: clock, typing, a visitor's name, presence. */
import type { TypingDTO, VisitorDTO } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { withConnection, withPresence, withServerClock, withVisitor, withVisitorTyping } from './live-events';
import { at, buildConversation, buildState } from './test-factories';

const typing = (change: Partial<TypingDTO>): TypingDTO => ({
  conversationId: 'c1',
  authorKind: 'visitor',
  typing: true,
  operator: null,
  preview: 'Do you ship to Yere',
  visibility: 'public',
  ...change,
});

describe('live events', () => {
  it("keeps the server's clock offset", () => {
    expect(withServerClock(buildState(), at(10), Date.parse(at(7))).clockOffsetMs).toBe(3000);
  });

  it("shows what a visitor types, hides it when they stop, ignores operators' typing", () => {
    const state = buildState([buildConversation()]);
    const shown = withVisitorTyping(state, typing({}), 1234);
    expect(shown.typing.c1).toEqual({ preview: 'Do you ship to Yere', at: 1234 });
    expect(withVisitorTyping(shown, typing({ typing: false }), 2000).typing).toEqual({});
    expect(withVisitorTyping(state, typing({ authorKind: 'operator', preview: null }), 1)).toBe(state);
  });

  it("renames the visitor's rows and keeps the card", () => {
    const state = buildState([
      buildConversation({ id: 'c1' }),
      buildConversation({ id: 'c2', status: 'closed' }),
      buildConversation({ id: 'c3', visitorId: 'v2', visitorName: '#123456' }),
    ]);
    const visitor = { id: 'v1', name: 'Marta' } as VisitorDTO;
    const next = withVisitor(state, visitor);
    expect(Object.values(next.conversations).map((c) => c.visitorName)).toEqual([
      'Marta',
      'Marta',
      '#123456',
    ]);
    expect(next.visitors.v1).toBe(visitor);
  });

  it('keeps presence per site and the connection state', () => {
    const state = withPresence(buildState(), 's1', []);
    expect(state.presence).toEqual({ s1: [] });
    expect(withConnection(state, 'open').connection).toBe('open');
    expect(withConnection(state, state.connection)).toBe(state);
  });
});
