/**
 * Heartbeats over real sockets: the server pings every socket, and one that
 * stops answering (a half-open connection: a laptop closed, a NAT that forgot
 * it) is cut, so its operator no longer shows online to visitors forever.
 */
import type { Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closeAllSockets, connectOperator, connectVisitor } from '../testing/fixtures.js';
import { startTestParley, type TestParley } from '../testing/test-parley.js';

const PING_MS = 100;
const PONG_TIMEOUT_MS = 600;
let parley: TestParley;

beforeAll(async () => {
  parley = await startTestParley({
    env: { SOCKET_PING_INTERVAL_MS: String(PING_MS), SOCKET_PONG_TIMEOUT_MS: String(PONG_TIMEOUT_MS) },
  });
});
afterEach(closeAllSockets);
afterAll(async () => {
  await parley?.close();
});

const online = (a: { online: boolean }) => a.online;
const offline = (a: { online: boolean }) => !a.online;

describe('heartbeats', () => {
  it('cuts a socket that answers no pings, and its operator goes offline for visitors', async () => {
    const operator = await connectOperator(parley);
    const visitor = await connectVisitor(parley);
    await visitor.socket.waitFor('availability.updated', online);

    // The operator's machine vanishes: its TCP connection stays open but nothing is read or answered.
    const tcp = (operator.socket.ws as unknown as { _socket: Socket })._socket;
    tcp.pause();
    await visitor.socket.waitFor('availability.updated', offline, 10_000);
    // Back from the dead, the client finds its connection gone (and would reconnect).
    tcp.resume();
    await expect.poll(() => operator.socket.closeCode).toBe(1006);
  });

  it('keeps sockets that answer, however long they stay quiet', async () => {
    const operator = await connectOperator(parley);
    const visitor = await connectVisitor(parley);
    await new Promise((resolve) => setTimeout(resolve, PONG_TIMEOUT_MS * 3));
    expect(operator.socket.closeCode).toBeNull();
    expect(visitor.socket.closeCode).toBeNull();
    await expect(visitor.socket.request('typing.set', { typing: false })).resolves.toEqual({});
  });
});
