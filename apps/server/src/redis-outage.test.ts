/**
 * Redis going away and coming back, for real: a node is pointed at a Redis
 * server of the test's own, which the test kills and restarts empty. While
 * Redis is away, people on one node go on talking (local rate limits, local
 * delivery) and /readyz says Redis is down; when it is back, presence is
 * written again without anyone reconnecting, and events go through Redis
 * again, each delivered once.
 */
import type { MessageDTO } from '@parley/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startVisitorSession } from './testing/clients.js';
import { closeAllSockets, connectOperator, connectVisitor, newClientId } from './testing/fixtures.js';
import { type OwnRedis, startOwnRedis } from './testing/redis-server.js';
import { startTestParley, type TestParley } from './testing/test-parley.js';

let redis: OwnRedis;
let parley: TestParley;

beforeAll(async () => {
  redis = await startOwnRedis();
  parley = await startTestParley({ redisUrl: redis.url, env: { REDIS_COMMAND_TIMEOUT_MS: '300' } });
});
afterEach(closeAllSockets);
afterAll(async () => {
  await parley?.close();
  await redis?.stop();
});

async function readiness(): Promise<{ status: number; body: { ok: boolean; redis?: string } }> {
  const response = await fetch(`${parley.url}/readyz`);
  return { status: response.status, body: (await response.json()) as { ok: boolean; redis?: string } };
}

async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, withinMs: number) {
  const deadline = Date.now() + withinMs;
  let last = await probe();
  while (!accept(last) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    last = await probe();
  }
  return last;
}

const settle = () => new Promise((r) => setTimeout(r, 300));

describe('Redis away and back', () => {
  it('lets a visitor and an operator on one node talk while Redis is away, each message delivered once', async () => {
    const { socket: operator } = await connectOperator(parley);
    const { socket: visitor } = await connectVisitor(parley);
    await redis.kill();
    const ready = await eventually(readiness, (r) => r.body.redis === 'down', 5_000);
    // Readiness is about the database: a node without Redis still serves its own sockets.
    expect(ready).toEqual({ status: 200, body: expect.objectContaining({ ok: true, redis: 'down' }) });

    const question = await visitor.request<{ message: MessageDTO }>('message.send', {
      clientId: newClientId(),
      text: 'Anyone there while Redis is down?',
    });
    await operator.waitForMessage((m) => m.id === question.message.id, 2_000);
    const answer = await operator.request<{ message: MessageDTO }>('message.send', {
      conversationId: question.message.conversationId,
      clientId: newClientId(),
      text: 'Yes, on this node.',
    });
    await visitor.waitForMessage((m) => m.id === answer.message.id, 2_000);
    await settle();
    for (const id of [question.message.id, answer.message.id]) {
      expect(operator.messagesReceived().filter((m) => m.id === id)).toHaveLength(1);
      expect(visitor.messagesReceived().filter((m) => m.id === id)).toHaveLength(1);
    }
  });

  it('shows a connected operator online again as soon as Redis is back empty, without a reconnect', async () => {
    await connectOperator(parley);
    expect((await startVisitorSession(parley.url)).online).toBe(true);
    await redis.restart(); // back, with nothing in it
    await eventually(readiness, (r) => r.body.redis === 'up', 5_000);
    const session = await eventually(
      () => startVisitorSession(parley.url),
      (s) => s.online,
      1_500,
    );
    expect(session.online).toBe(true);
  });

  it('delivers through Redis again once it is back: each event once, not once per path', async () => {
    await eventually(readiness, (r) => r.body.redis === 'up', 5_000);
    const { socket: operator } = await connectOperator(parley);
    const { socket: visitor } = await connectVisitor(parley);
    const sent = await visitor.request<{ message: MessageDTO }>('message.send', {
      clientId: newClientId(),
      text: 'Redis is back',
    });
    await operator.waitForMessage((m) => m.id === sent.message.id, 2_000);
    await settle();
    expect(operator.messagesReceived().filter((m) => m.id === sent.message.id)).toHaveLength(1);
    expect(visitor.messagesReceived().filter((m) => m.id === sent.message.id)).toHaveLength(1);
  });
});
