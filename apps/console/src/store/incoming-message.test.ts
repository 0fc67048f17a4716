/** A message arriving: what it changes in the state, and what must follow it. */
import { describe, expect, it } from 'vitest';
import { listOf } from './inbox-state';
import { followUpsOf, withMessage } from './incoming-message';
import { at, buildConversation, buildMessage, buildState, buildThread } from './test-factories';

describe('incoming message', () => {
  it('puts the row the event carries in place and moves it to the top of its list', () => {
    const quiet = buildConversation({ id: 'c1', lastActivityAt: at(1) });
    const busy = buildConversation({ id: 'c2', visitorId: 'v2', lastActivityAt: at(30) });
    const state = buildState([quiet, busy]);
    expect(listOf(state.conversations, 'open')).toEqual(['c2', 'c1']);

    const reply = buildMessage(2, 'operator', { text: 'On its way', createdAt: at(40) });
    // As the server left the row: whatever it decided (here, the reply answered the visitor) is what shows.
    const row = buildConversation({
      lastSeq: 2,
      lastMessage: {
        text: 'On its way',
        authorKind: 'operator',
        authorName: 'Anna',
        visibility: 'public',
        createdAt: at(40),
      },
      lastActivityAt: at(40),
      unreadCount: 0,
      waitingSince: null,
      assigneeId: 'op-anna',
    });
    const next = withMessage(state, reply, row);
    expect(next.conversations.c1).toBe(row);
    expect(listOf(next.conversations, 'open')).toEqual(['c1', 'c2']);
    // An older snapshot (a re-announced retry overtaken by later messages) does not step the row back.
    expect(withMessage(next, buildMessage(1), quiet).conversations).toBe(next.conversations);
  });

  it('leaves the row as it is for a message without one (an ack, a resync): it does not re-derive it', () => {
    const state = buildState([buildConversation()]);
    const next = withMessage(state, buildMessage(2, 'operator'));
    expect(next.conversations).toBe(state.conversations);
  });

  it('shows a note in the thread like any message, leaving the row to the server', () => {
    const state = buildState([buildConversation()], { c1: buildThread([buildMessage(1)]) });
    const note = buildMessage(2, 'operator', { visibility: 'internal', text: 'VIP customer' });
    const next = withMessage(state, note);
    expect(next.threads.c1?.messages.map((m) => m.visibility)).toEqual(['public', 'internal']);
    expect(followUpsOf(state, note, true)).toMatchObject({ announce: false, syncThread: false });
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
