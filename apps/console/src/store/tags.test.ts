/** Tags, read marks and first drafts in the inbox state: what snapshots keep, what moves only forward. */
import { describe, expect, it } from 'vitest';
import { withConversations } from './inbox-state';
import { lastSeenReplySeq, withFirstDraft, withoutFirstDraft, withSiteTags, withVisitorRead } from './tags';
import { buildConversation, buildMessage, buildState } from './test-factories';

const tag = {
  id: 't1',
  siteId: 's1',
  name: 'VIP',
  color: 'blue' as const,
  createdAt: '2026-01-01T00:00:00Z',
};

describe('tags in the inbox state', () => {
  it("keeps a row's tags when a snapshot leaves them out (the message path's), takes them when given", () => {
    let state = buildState([buildConversation({ tagIds: ['t1'], closeReasonTagId: null })]);
    state = withConversations(state, [buildConversation({ lastSeq: 2 })]);
    expect(state.conversations.c1).toMatchObject({ lastSeq: 2, tagIds: ['t1'] });
    state = withConversations(state, [buildConversation({ lastSeq: 2, tagIds: [] })]);
    expect(state.conversations.c1?.tagIds).toEqual([]);
  });

  it('moves the visitor’s read mark forward only, whichever arrives last', () => {
    let state = buildState([buildConversation({ lastSeq: 3 })]);
    state = withVisitorRead(state, 'c1', 3);
    expect(withVisitorRead(state, 'c1', 2)).toBe(state);
    state = withConversations(state, [buildConversation({ lastSeq: 3, visitorReadSeq: 1 })]);
    expect(state.conversations.c1?.visitorReadSeq).toBe(3);
  });

  it('drops the tag filter when its tag is deleted', () => {
    let state = withSiteTags(buildState(), 's1', [tag]);
    state = { ...state, tagFilter: 't1' };
    expect(withSiteTags(state, 's1', []).tagFilter).toBeNull();
  });

  it('shows a first draft while typing and drops it when typing stops or the conversation begins', () => {
    const drafting = { siteId: 's1', visitorId: 'v9', visitorName: '#ABC', typing: true, preview: 'Hel' };
    let state = withFirstDraft(buildState(), drafting, 1000);
    expect(state.firstDrafts.v9).toMatchObject({ preview: 'Hel', at: 1000 });
    expect(withFirstDraft(state, { ...drafting, typing: false, preview: null }, 2000).firstDrafts).toEqual(
      {},
    );
    state = withoutFirstDraft(state, 'v9');
    expect(state.firstDrafts).toEqual({});
  });

  it("finds the operators' last public reply the visitor has seen", () => {
    const messages = [
      buildMessage(1),
      buildMessage(2, 'operator'),
      buildMessage(3, 'operator', { visibility: 'internal' }),
      buildMessage(4, 'operator'),
    ];
    expect(lastSeenReplySeq(messages, 0)).toBeNull();
    expect(lastSeenReplySeq(messages, 3)).toBe(2);
    expect(lastSeenReplySeq(messages, 4)).toBe(4);
  });
});
