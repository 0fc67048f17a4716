/** What a reconnect refreshes, and which threads the missed-event check syncs. */
import { describe, expect, it } from 'vitest';
import { tabsToRefresh, threadsBehind } from './resync';
import { buildConversation, buildMessage, buildState, buildThread } from './test-factories';

describe('resync', () => {
  it('refreshes the tabs loaded before and the one on screen', () => {
    const state = buildState();
    expect(tabsToRefresh(state)).toEqual([state.tab]);
  });

  it('finds the threads whose row says more was written than they hold (a missed message.created)', () => {
    const state = buildState(
      [
        buildConversation({ id: 'c1', lastSeq: 3 }),
        buildConversation({ id: 'c2', lastSeq: 2 }),
        buildConversation({ id: 'c3', lastSeq: 4 }),
        buildConversation({ id: 'c4', lastSeq: 9 }),
      ],
      {
        c1: buildThread([buildMessage(1), buildMessage(2)]),
        c2: buildThread([buildMessage(1, 'visitor', { conversationId: 'c2' }), buildMessage(2, 'operator')]),
        // A hole before the last message: behind from the hole on, though the last seq matches.
        c3: buildThread([buildMessage(1), buildMessage(2), buildMessage(4)]),
        // Still loading: its fetch brings the latest anyway.
        c4: buildThread([], { loading: true }),
      },
    );
    expect(threadsBehind(state)).toEqual(['c1', 'c3']);
  });
});
