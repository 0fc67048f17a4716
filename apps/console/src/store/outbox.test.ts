/** The outbox's state: queued replies, refusals, acks, what a reconnect resends. */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/http-client';
import { FrameError } from '../api/socket-client';
import type { OutboxItem } from './inbox-state';
import { isRefusal, unsentReplies, withOutboxChange, withoutOutboxItem, withQueuedReply } from './outbox';
import { buildState } from './test-factories';

const reply = (clientId: string): OutboxItem => ({
  clientId,
  conversationId: 'c1',
  text: `reply ${clientId}`,
  state: 'sending',
  error: null,
});

describe('outbox', () => {
  it("queues a reply and empties the draft it came from, not other conversations' drafts", () => {
    const state = { ...buildState(), drafts: { c1: 'reply k1', c2: 'half a thought' } };
    const next = withQueuedReply(state, reply('k1'));
    expect(next.outbox).toEqual([reply('k1')]);
    expect(next.drafts).toEqual({ c1: '', c2: 'half a thought' });
  });

  it('resends only replies still on their way; a refused one waits for the operator', () => {
    let state = withQueuedReply(withQueuedReply(buildState(), reply('k1')), reply('k2'));
    state = withOutboxChange(state, 'k1', { state: 'failed', error: 'This conversation is closed' });
    expect(unsentReplies(state).map((o) => o.clientId)).toEqual(['k2']);
    state = withoutOutboxItem(state, 'k2');
    expect(state.outbox.map((o) => o.clientId)).toEqual(['k1']);
    expect(withoutOutboxItem(state, 'unknown')).toBe(state);
  });

  it('tells a refusal from a lost answer', () => {
    expect(isRefusal(new FrameError({ code: 'conflict', message: 'closed' }))).toBe(true);
    expect(isRefusal(new ApiError(409, 'conflict', 'closed'))).toBe(true);
    expect(isRefusal(new ApiError(0, 'network', 'offline'))).toBe(false);
    expect(isRefusal(new Error('connection lost'))).toBe(false);
  });
});
