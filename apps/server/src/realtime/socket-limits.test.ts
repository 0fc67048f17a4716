/**
 * Hostile clients over real sockets cannot make the server hold memory for
 * them without bound: frames waiting for their turn are capped (refused past
 * the cap, the socket closed if the client keeps on), and a socket that stops
 * reading while others write to it is closed instead of buffered for.
 */
import type { Socket } from 'node:net';
import { API_PATHS, CLOSE_CODES, LIMITS, type MessageDTO } from '@parley/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startVisitorSession } from '../testing/clients.js';
import { closeAllSockets, connectOperator, connectVisitor, newClientId } from '../testing/fixtures.js';
import { startTestParley, type TestParley } from '../testing/test-parley.js';

const SEND_BUFFER_LIMIT = 256 * 1024;
let parley: TestParley;

beforeAll(async () => {
  parley = await startTestParley({
    env: {
      SOCKET_SEND_BUFFER_LIMIT_BYTES: String(SEND_BUFFER_LIMIT),
      // This file is about memory; the message budgets are another file's subject.
      VISITOR_MESSAGES_PER_MINUTE: '100000',
      VISITOR_MESSAGES_PER_IP_PER_MINUTE: '100000',
      SITE_VISITOR_MESSAGES_PER_MINUTE: '100000',
    },
  });
});
afterEach(closeAllSockets);
afterAll(async () => {
  await parley?.close();
});

const tcpOf = (ws: WebSocket) => (ws as unknown as { _socket: Socket })._socket;

interface Answer {
  type: string;
  ref?: string;
  error?: { code: string };
}

describe('frames waiting for their turn', () => {
  it('refuses frames past the queue at once and keeps serving a client that then waits', async () => {
    const { socket } = await connectVisitor(parley);
    // Each frame is a message to store, so the burst arrives faster than it is worked off; short of
    // refusalsBeforeClose past the queue, so the client is refused, not closed.
    const { frames, refusalsBeforeClose } = LIMITS.socketQueue;
    const burst = frames + refusalsBeforeClose / 2;
    const outcomes = await Promise.all(
      Array.from({ length: burst }, (_, i) =>
        socket.request('message.send', { clientId: newClientId(), text: `burst ${i}` }).then(
          () => 'acked',
          (error: { frame?: Answer }) => error.frame?.error?.code ?? 'lost',
        ),
      ),
    );
    const refused = outcomes.filter((o) => o === 'rate_limited').length;
    expect(refused).toBeGreaterThan(0);
    expect(outcomes.filter((o) => o !== 'acked' && o !== 'rate_limited')).toEqual([]);
    expect(burst - refused).toBeGreaterThanOrEqual(frames);
    // Refused, not closed: the next frame is served.
    await expect(socket.request('typing.set', { typing: false })).resolves.toEqual({});
    expect(socket.closeCode).toBeNull();
  });

  it('closes a socket that floods large valid frames instead of queueing them all', async () => {
    const session = await startVisitorSession(parley.url);
    const ws = new WebSocket(
      `${parley.wsUrl}${API_PATHS.visitorSocket}?token=${encodeURIComponent(session.visitorToken)}`,
    );
    const answers: Answer[] = [];
    ws.on('message', (raw) => answers.push(JSON.parse(raw.toString()) as Answer));
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    await new Promise((resolve) => ws.once('open', resolve));

    // Valid frames padded with JSON whitespace to just under the frame limit, as the attack did; each
    // one is real work (a message to store), so they pile up while the first ones are being written.
    const padding = ' '.repeat(LIMITS.frameBytes - 700);
    const frames = 1500;
    for (let i = 0; i < frames; i++) {
      const data = JSON.stringify({ clientId: newClientId(), text: `flood ${i} ${'x'.repeat(400)}` });
      ws.send(`{"type":"message.send",${padding}"ref":"${i}","data":${data}}`);
    }
    expect(await closed).toBe(CLOSE_CODES.flooding);
    const acked = answers.filter((a) => a.type === 'ack').length;
    const refused = answers.filter((a) => a.type === 'error');
    expect(refused.length).toBeGreaterThanOrEqual(LIMITS.socketQueue.refusalsBeforeClose);
    expect(new Set(refused.map((a) => a.error?.code))).toEqual(new Set(['rate_limited']));
    // Most of the flood was never taken in.
    expect(acked).toBeLessThan(frames / 2);
  });
});

describe('a socket that stops reading', () => {
  it('is closed once the server would hold more than the limit for it, while visitors go on writing', async () => {
    const operator = await connectOperator(parley);
    const visitors = await Promise.all([1, 2, 3, 4].map(() => connectVisitor(parley)));
    tcpOf(operator.socket.ws).pause();
    // 8 MB in all: the kernel's buffers on loopback take about 4 MB before the server holds anything,
    // and the limit here is 256 KB. Control characters are valid text that JSON writes six bytes wide,
    // so each message is ~15 KB on the wire and the test needs half as many writes.
    const text = `${String.fromCharCode(1).repeat(2600)}.`;
    const total = 540;
    let sent = 0;
    const writer = async (v: (typeof visitors)[number]) => {
      while (sent < total) {
        sent += 1;
        await v.socket.request<{ message: MessageDTO }>('message.send', { clientId: newClientId(), text });
      }
    };
    await Promise.all(visitors.map(writer));

    tcpOf(operator.socket.ws).resume();
    await expect.poll(() => operator.socket.closeCode, { timeout: 10_000 }).toBe(CLOSE_CODES.tooSlow);
    // What was still held for it was dropped, not delivered late: it resyncs by seq when it reconnects.
    expect(operator.socket.messagesReceived().length).toBeLessThan(sent);
    // The visitors were never affected.
    for (const v of visitors) expect(v.socket.closeCode).toBeNull();
  }, 60_000);

  it('keeps a reader that keeps up, however much it is sent', async () => {
    const operator = await connectOperator(parley);
    const visitor = await connectVisitor(parley);
    const text = 'Բարեւ '.repeat(LIMITS.messageText / 6);
    for (let i = 0; i < 60; i++)
      await visitor.socket.request('message.send', { clientId: newClientId(), text });
    await expect.poll(() => operator.socket.messagesReceived().length).toBeGreaterThanOrEqual(60);
    expect(operator.socket.closeCode).toBeNull();
  });
});
