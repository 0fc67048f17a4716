/**
 * The shared socket against a real Parley (acks, refusals, paging a sync,
 * the missed-event check) and against a scripted WebSocket server for what a
 * healthy Parley cannot be made to do on cue: drain with a frame in flight,
 * and never answer.
 */
import type { AddressInfo } from 'node:net';
import {
  API_PATHS,
  type MessageDTO,
  type VisitorClientFrames,
  type VisitorServerEvents,
} from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocket as NodeWebSocket, type WebSocket as ServerSideSocket, WebSocketServer } from 'ws';
import { visitorTokensRevoker } from '../../../apps/server/src/modules/visitors/access.js';
import { startVisitorSession } from '../../../apps/server/src/testing/clients.js';
import { startTestParley, type TestParley } from '../../../apps/server/src/testing/test-parley.js';
import {
  ACK_TIMEOUT_MS,
  type ClientSocket,
  createClientSocket,
  FrameError,
  LinkError,
  type WebSocketLike,
} from './socket-client.js';
import { syncAfter } from './sync.js';

type VisitorSocket = ClientSocket<VisitorClientFrames>;

const open = (url: string) => new NodeWebSocket(url) as unknown as WebSocketLike;

function visitorSocket(url: () => string, extra: { onCheck?: () => void; checkEveryMs?: number } = {}) {
  const links: boolean[] = [];
  const socket: VisitorSocket = createClientSocket<VisitorClientFrames, VisitorServerEvents>({
    url,
    events: {},
    onLink: (up) => links.push(up),
    onUnauthorized: () => links.push(false),
    open,
    ...extra,
  });
  const up = () => vi.waitFor(() => expect(socket.connected).toBe(true), { timeout: 10_000 });
  return { socket, links, up };
}

describe('ClientSocket against Parley', () => {
  let parley: TestParley;
  beforeAll(async () => {
    parley = await startTestParley();
  });
  afterAll(async () => {
    await parley?.close();
  });

  it('acks a message, refuses a bad one with its code, and pages a sync to the end', async () => {
    const session = await startVisitorSession(parley.url);
    const { socket, up } = visitorSocket(
      () => `${parley.wsUrl}${API_PATHS.visitorSocket}?token=${session.visitorToken}`,
    );
    await expect(socket.request('typing.set', { typing: true })).rejects.toBeInstanceOf(LinkError);
    socket.start();
    await up();
    const { message } = await socket.request('message.send', { clientId: 'client-core-1', text: 'hello' });
    expect(message).toMatchObject({ seq: 1, text: 'hello' });
    const refusal = await socket.request('message.send', { clientId: 'x', text: 'hi' }).catch((e) => e);
    expect(refusal).toBeInstanceOf(FrameError);
    expect(refusal.code).toBe('bad_request');

    const seen: MessageDTO[] = [];
    await syncAfter(
      (afterSeq) => socket.request('conversation.sync', { conversationId: message.conversationId, afterSeq }),
      () => seen.at(-1)?.seq ?? 0,
      (m) => seen.push(m),
    );
    expect(seen.map((m) => m.text)).toEqual(['hello']);
    socket.close(false);
    expect(socket.connected).toBe(false);
  });

  it('asks stillAllowed after a refused upgrade (1006, not 4401), and stops when the answer is no', async () => {
    const session = await startVisitorSession(parley.url);
    await visitorTokensRevoker(parley.services.ctx, session.visitorId);
    const asked: string[] = [];
    let answer = true;
    let unauthorized = 0;
    const socket: VisitorSocket = createClientSocket<VisitorClientFrames, VisitorServerEvents>({
      url: () => `${parley.wsUrl}${API_PATHS.visitorSocket}?token=${session.visitorToken}`,
      events: {},
      onLink: () => undefined,
      onUnauthorized: () => unauthorized++,
      stillAllowed: async () => {
        asked.push('asked');
        return answer;
      },
      // As in a browser: a failed upgrade is an error event, then a close with 1006.
      open: (url) => new NodeWebSocket(url).on('error', () => undefined) as unknown as WebSocketLike,
    });
    socket.start();
    // Still allowed (say the check found a passing fault): it goes on reconnecting, asking each time.
    await vi.waitFor(() => expect(asked.length).toBeGreaterThanOrEqual(2), { timeout: 10_000 });
    expect(unauthorized).toBe(0);
    answer = false;
    await vi.waitFor(() => expect(unauthorized).toBe(1), { timeout: 10_000 });
    const settled = asked.length;
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(asked.length).toBe(settled); // stopped: no more attempts
    expect(socket.connected).toBe(false);
  });

  it('runs the missed-event check while the link is up, and stops it when the link goes', async () => {
    const session = await startVisitorSession(parley.url);
    let checks = 0;
    const { socket, up } = visitorSocket(
      () => `${parley.wsUrl}${API_PATHS.visitorSocket}?token=${session.visitorToken}`,
      { onCheck: () => checks++, checkEveryMs: 50 },
    );
    socket.start();
    await up();
    await vi.waitFor(() => expect(checks).toBeGreaterThanOrEqual(3));
    socket.close(false);
    const after = checks;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(checks).toBe(after);
  });
});

/** A WebSocket server whose answers each test scripts. */
async function scriptedServer(onFrame: (ws: ServerSideSocket, frame: { type: string; ref: string }) => void) {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  let connections = 0;
  server.on('connection', (ws) => {
    connections++;
    ws.send(
      JSON.stringify({
        type: 'session.ready',
        data: { visitorId: 'v', serverTime: new Date().toISOString() },
      }),
    );
    ws.on('message', (raw) => onFrame(ws, JSON.parse(String(raw))));
  });
  return {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => connections,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

describe('ClientSocket against a scripted server', () => {
  it('on a drain notice, still takes the answer in flight, holds new requests, and reconnects after the pause', async () => {
    const server = await scriptedServer((ws, frame) => {
      if (frame.type !== 'typing.set') return;
      ws.send(JSON.stringify({ type: 'server.draining', data: { reconnectAfterMs: 300 } }));
      setTimeout(() => {
        ws.send(JSON.stringify({ type: 'ack', ref: frame.ref, data: {} }));
        ws.close(1012);
      }, 100);
    });
    const { socket, up } = visitorSocket(() => server.url);
    socket.start();
    await up();
    const inFlight = socket.request('typing.set', { typing: true });
    await vi.waitFor(() =>
      expect(socket.request('typing.set', { typing: false })).rejects.toBeInstanceOf(LinkError),
    );
    await expect(inFlight).resolves.toEqual({});
    await vi.waitFor(() => expect(server.connections()).toBe(2));
    await up();
    socket.close(false);
    await server.close();
  });

  it('treats a request unanswered for the ack timeout as a dead link: fails it, and connects again', async () => {
    const server = await scriptedServer(() => undefined);
    const { socket, up, links } = visitorSocket(() => server.url);
    socket.start();
    await up();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const silent = socket.request('typing.set', { typing: true }).catch((e) => e);
      await vi.advanceTimersByTimeAsync(ACK_TIMEOUT_MS - 1);
      expect(socket.connected).toBe(true);
      await vi.advanceTimersByTimeAsync(1);
      expect(await silent).toBeInstanceOf(LinkError);
      expect(links).toEqual([true, false]);
      await vi.advanceTimersByTimeAsync(1_000);
    } finally {
      vi.useRealTimers();
    }
    await vi.waitFor(() => expect(server.connections()).toBe(2));
    await up();
    socket.close(false);
    await server.close();
  });
});
