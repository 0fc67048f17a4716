/** A message arriving: what it changes in the state, and what must follow it. */
import { describe, expect, it } from 'vitest';
import { listOf } from './inbox-state';
import { followUpsOf, withMessage } from './incoming-message';
import { at, buildConversation, buildMessage, buildState, buildThread } from './test-factories';

describe('incoming message', () => {
  it('updates the row (preview, author, activity) and moves it to the top of its list', () => {
    const quiet = buildConversation({ id: 'c1', lastActivityAt: at(1) });
    const busy = buildConversation({ id: 'c2', visitorId: 'v2', lastActivityAt: at(30) });
    const state = buildState([quiet, busy]);
    expect(listOf(state.conversations, 'open')).toEqual(['c2', 'c1']);

    const reply = buildMessage(2, 'operator', { text: 'On its way', createdAt: at(40) });
    const next = withMessage(state, reply);
    expect(next.conversations.c1).toMatchObject({
      lastSeq: 2,
      lastMessage: { text: 'On its way', authorKind: 'operator', authorName: 'Anna', createdAt: at(40) },
      lastActivityAt: at(40),
      unreadCount: 0,
      waitingSince: null,
    });
    expect(listOf(next.conversations, 'open')).toEqual(['c1', 'c2']);
    // The same message again (the ack after the event, a resync) changes nothing more.
    expect(withMessage(next, reply).conversations).toBe(next.conversations);
  });

  it('adds the message to a loaded thread once, clears the typing line, settles the outbox', () => {
    const state = {
      ...buildState([buildConversation()], { c1: buildThread([buildMessage(1)]) }),
      typing: { c1: { preview: 'Where is my ord', at: 0 } },
      outbox: [
        { clientId: 'k1', conversationId: 'c1', text: 'Checking', state: 'sending' as const, error: null },
      ],
    };
    const visitorMessage = withMessage(state, buildMessage(2, 'visitor', { text: 'Where is my order?' }));
    expect(visitorMessage.threads.c1?.messages.map((m) => m.seq)).toEqual([1, 2]);
    expect(visitorMessage.typing).toEqual({});
    expect(visitorMessage.outbox).toHaveLength(1);

    const acked = withMessage(
      visitorMessage,
      buildMessage(3, 'operator', { clientId: 'k1', text: 'Checking' }),
    );
    expect(acked.outbox).toEqual([]);
    expect(acked.threads.c1?.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(withMessage(acked, buildMessage(3, 'operator')).threads.c1?.messages).toHaveLength(3);
  });

  it('fetches a conversation it does not know, fills gaps, and announces only new live visitor messages', () => {
    const state = buildState([buildConversation({ lastSeq: 2 })], {
      c1: buildThread([buildMessage(1), buildMessage(2)]),
    });
    expect(followUpsOf(state, buildMessage(3), true)).toEqual({
      loadConversation: false,
      syncThread: false,
      announce: true,
    });
    expect(followUpsOf(state, buildMessage(5), false)).toEqual({
      loadConversation: false,
      syncThread: true,
      announce: false,
    });
    expect(followUpsOf(state, buildMessage(2), true).announce).toBe(false);
    expect(followUpsOf(state, buildMessage(3, 'operator'), true).announce).toBe(false);
    expect(followUpsOf(buildState(), buildMessage(1), true)).toMatchObject({
      loadConversation: true,
      syncThread: false,
    });
  });
});
