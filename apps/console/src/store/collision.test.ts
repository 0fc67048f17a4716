import type { TypingDTO } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import {
  COLLEAGUE_TYPING_STALE_MS,
  otherViewers,
  typingColleagues,
  withColleagueTyping,
  withViewers,
} from './collision';
import { buildState, operator } from './test-factories';

const boris = { id: 'op-boris', displayName: 'Boris', avatarUrl: null };
const typing = (overrides: Partial<TypingDTO>): TypingDTO => ({
  conversationId: 'c1',
  authorKind: 'operator',
  typing: true,
  operator: boris,
  preview: null,
  visibility: 'public',
  ...overrides,
});

describe('collision state', () => {
  it('keeps who views a conversation, leaving me out of "others"', () => {
    const me = { id: operator.id, displayName: 'Anna', avatarUrl: null };
    const state = withViewers(buildState(), { conversationId: 'c1', operators: [me, boris] });
    expect(otherViewers(state.viewers.c1, operator.id)).toEqual([boris]);
  });

  it('tracks a colleague typing a reply until they stop or the news goes stale', () => {
    let state = withColleagueTyping(buildState(), typing({}), 1000);
    expect(typingColleagues(state.colleagueTyping.c1, 2000)).toEqual([boris]);
    expect(typingColleagues(state.colleagueTyping.c1, 1000 + COLLEAGUE_TYPING_STALE_MS)).toEqual([]);
    state = withColleagueTyping(state, typing({ typing: false }), 3000);
    expect(typingColleagues(state.colleagueTyping.c1, 3000)).toEqual([]);
  });

  it('ignores my own typing, notes and visitors', () => {
    const me = { id: operator.id, displayName: 'Anna', avatarUrl: null };
    const state = buildState();
    expect(withColleagueTyping(state, typing({ operator: me }), 1)).toBe(state);
    expect(withColleagueTyping(state, typing({ visibility: 'internal' }), 1)).toBe(state);
    expect(withColleagueTyping(state, typing({ authorKind: 'visitor', operator: null }), 1)).toBe(state);
  });
});
