/**
 * Graceful shutdown against a client that floods frames while the node
 * drains: frames taken before the drain are answered, later ones are not
 * taken (the 1012 close fails them; clients resend after reconnecting), and
 * the drain ends promptly with a clean 1012 for everyone.
 */
import { CLOSE_CODES } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestSocket } from '../testing/clients.js';
import { closeAllSockets, connectVisitor } from '../testing/fixtures.js';
import { startTestParley, type TestParley } from '../testing/test-parley.js';

let parley: TestParley;
let closed = false;

beforeAll(async () => {
  parley = await startTestParley();
});
afterAll(async () => {
  await closeAllSockets();
  if (!closed) await parley?.close();
});

/** Sends `perMs` typing frames every millisecond without waiting for answers, until the socket closes. */
function flood(socket: TestSocket, perMs: number) {
  const answers = new Map<string, number>();
  const outcomes: Promise<void>[] = [];
  const timer = setInterval(() => {
    if (socket.closeCode !== null) return clearInterval(timer);
    for (let i = 0; i < perMs; i++) {
      const outcome = socket.request('typing.set', { typing: true, preview: 'spam' }).then(
        () => 'ack',
        (error: { frame?: { error?: { code: string } } }) => error.frame?.error?.code ?? 'socket closed',
      );
      outcomes.push(outcome.then((o) => void answers.set(o, (answers.get(o) ?? 0) + 1)));
    }
  }, 1);
  return { answers, settled: () => Promise.all(outcomes) };
}

describe('draining under a flood', () => {
  it('finishes promptly and closes every socket with 1012', async () => {
    const flooder = await connectVisitor(parley);
    const bystander = await connectVisitor(parley);
    const { answers, settled } = flood(flooder.socket, 3);
    await new Promise((resolve) => setTimeout(resolve, 300));

    const drained = parley.close().then(() => {
      closed = true;
    });
    // The drain is over when the sockets are closed; before, the flood kept it open for good.
    await expect.poll(() => flooder.socket.closeCode, { timeout: 8_000 }).toBe(CLOSE_CODES.restarting);
    await drained;
    await settled();

    expect(bystander.socket.closeCode).toBe(CLOSE_CODES.restarting);
    expect(answers.get('ack')).toBeGreaterThan(0);
    // Every frame was acked, or left unanswered by the clean close (to be resent after reconnecting).
    expect([...answers.keys()].filter((k) => !['ack', 'socket closed'].includes(k))).toEqual([]);
  });
});
