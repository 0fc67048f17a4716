/** The shared outbox: order, resend after no answer, busy backoff, and refusals that never block the queue. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createOutbox, MAX_INTERNAL_ANSWERS, type OutboxEntry, verdictOf } from './outbox.js';
import { FrameError, LinkError } from './socket-client.js';

const entry = (clientId: string): OutboxEntry => ({
  clientId,
  text: `text ${clientId}`,
  state: 'sending',
  error: null,
});

/** An outbox over an array, whose server answers each clientId as `answers` says (ok by default). */
function setup(answers: Record<string, (() => Error)[]> = {}) {
  let entries: OutboxEntry[] = [];
  const delivered: string[] = [];
  const outbox = createOutbox<OutboxEntry>({
    read: () => entries,
    write: (next) => {
      entries = next;
    },
    deliver: async (e) => {
      const failure = answers[e.clientId]?.shift();
      if (failure) throw failure();
      delivered.push(e.clientId);
    },
  });
  return { outbox, delivered, entries: () => entries };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('Outbox', () => {
  it('sends in the order written and empties itself', async () => {
    const { outbox, delivered, entries } = setup();
    await outbox.add(entry('a'));
    await outbox.add(entry('b'));
    expect(delivered).toEqual(['a', 'b']);
    expect(entries()).toEqual([]);
  });

  it('keeps a message without an answer at the head, and sends it again on the next flush', async () => {
    const lost = () => new LinkError('connection lost');
    const { outbox, delivered, entries } = setup({ a: [lost, lost] });
    await outbox.add(entry('a'));
    await outbox.add(entry('b'));
    // No answer: nothing went, order kept; the link coming back flushes.
    expect(delivered).toEqual([]);
    expect(entries().map((e) => e.clientId)).toEqual(['a', 'b']);
    await outbox.flush();
    expect(delivered).toEqual(['a', 'b']);
  });

  it('marks a refused message failed with the reason, and the later ones still go', async () => {
    const { outbox, delivered, entries } = setup({
      a: [() => new FrameError('bad_request', 'Text contains a NUL character')],
    });
    await outbox.add(entry('a'));
    await outbox.add(entry('b'));
    expect(delivered).toEqual(['b']);
    expect(entries()).toEqual([{ ...entry('a'), state: 'failed', error: 'Text contains a NUL character' }]);
    // Retry sends it again; discard drops it.
    await outbox.retry('a');
    expect(delivered).toEqual(['b', 'a']);
    expect(entries()).toEqual([]);
  });

  it('retries a busy server after a backoff, without waiting for a reconnect', async () => {
    const { outbox, delivered } = setup({ a: [() => new FrameError('rate_limited', 'slow down')] });
    await outbox.add(entry('a'));
    expect(delivered).toEqual([]);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(delivered).toEqual(['a']);
  });

  it(`gives up on a message the server answers 'internal' ${MAX_INTERNAL_ANSWERS} times, so it cannot block the rest`, async () => {
    const internal = () => new FrameError('internal', 'Something went wrong');
    const { outbox, delivered, entries } = setup({ a: Array.from({ length: 10 }, () => internal) });
    await outbox.add(entry('a'));
    await outbox.add(entry('b'));
    await vi.advanceTimersByTimeAsync(30_000);
    expect(delivered).toEqual(['b']);
    expect(entries()).toEqual([{ ...entry('a'), state: 'failed', error: 'Something went wrong' }]);
    outbox.discard('a');
    expect(entries()).toEqual([]);
  });

  it('leaves a message the server already has (seen arriving) out of the next flush', async () => {
    const { outbox, delivered, entries } = setup({ a: [() => new LinkError('connection lost')] });
    await outbox.add(entry('a'));
    outbox.settle('a');
    await outbox.flush();
    expect(delivered).toEqual([]);
    expect(entries()).toEqual([]);
  });

  it('tells refusals, busy answers and lost answers apart, from either transport', () => {
    for (const code of ['bad_request', 'payload_too_large', 'forbidden', 'not_found', 'conflict'] as const)
      expect(verdictOf(new FrameError(code, 'no'))).toBe('refused');
    for (const code of ['rate_limited', 'unavailable', 'internal'] as const)
      expect(verdictOf(new FrameError(code, 'later'))).toBe('busy');
    expect(verdictOf(new LinkError('connection lost'))).toBe('no-answer');
    expect(verdictOf(new TypeError('Failed to fetch'))).toBe('no-answer');
    // The console's HTTP errors carry the same codes; a network failure carries none of them.
    expect(verdictOf(Object.assign(new Error('closed'), { status: 409, code: 'conflict' }))).toBe('refused');
    expect(verdictOf(Object.assign(new Error('offline'), { status: 0, code: 'network' }))).toBe('no-answer');
  });
});
