/**
 * Visitor tokens end: a deleted visitor's token, a revoked one and an expired
 * one are refused at the socket upgrade and over HTTP with 401 (and only start
 * a new visitor at a widget session), while a connected widget is handed a
 * fresh token half way through its token's life and so stays the same visitor.
 */
import { createHmac } from 'node:crypto';
import { CLOSE_CODES, type MessageDTO, type VisitorServerEvents } from '@parley/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateSecret } from '../modules/installation/secrets.js';
import { visitorTokensRevoker } from '../modules/visitors/access.js';
import { api, startVisitorSession, TestSocket } from '../testing/clients.js';
import { closeAllSockets, connectVisitor, newClientId } from '../testing/fixtures.js';
import { startTestParley, type TestParley } from '../testing/test-parley.js';

/** Short enough to watch a token be renewed and expire within a test. */
const TOKEN_LIFE_MS = 4000;
let parley: TestParley;

beforeAll(async () => {
  parley = await startTestParley({ env: { VISITOR_TOKEN_DAYS: String(TOKEN_LIFE_MS / 86_400_000) } });
});
afterEach(closeAllSockets);
afterAll(async () => {
  await parley?.close();
});

const upgrade = (token: string) =>
  TestSocket.visitor(parley.wsUrl, token).then(
    async (socket) => {
      await socket.close();
      return 'opened';
    },
    (error: Error) => error.message,
  );

const offlineRequest = (token: string) =>
  api(parley.url, '/api/widget/requests', {
    headers: { authorization: `Bearer ${token}` },
    body: { clientId: newClientId(), email: 'v@example.com', text: 'Call me' },
  }).then(
    (r) => r.status,
    (error: { status: number }) => error.status,
  );

async function say(socket: TestSocket, text: string): Promise<MessageDTO> {
  const { message } = await socket.request<{ message: MessageDTO }>('message.send', {
    clientId: newClientId(),
    text,
  });
  return message;
}

function closed(socket: TestSocket): Promise<number> {
  if (socket.closeCode !== null) return Promise.resolve(socket.closeCode);
  return new Promise((resolve) => socket.ws.once('close', (code) => resolve(code)));
}

describe("a deleted visitor's token", () => {
  it('is refused at the upgrade and over HTTP, and starts a new visitor at a widget session', async () => {
    const { session, socket } = await connectVisitor(parley);
    await say(socket, 'Hello');
    await parley.services.ctx.db.deleteFrom('visitors').where('id', '=', session.visitorId).execute();

    expect(await upgrade(session.visitorToken)).toBe('upgrade refused: 401');
    expect(await offlineRequest(session.visitorToken)).toBe(401);
    const fresh = await startVisitorSession(parley.url, 'demo', session.visitorToken);
    expect(fresh.visitorId).not.toBe(session.visitorId);
    expect(fresh.history).toEqual([]);
  });
});

describe('revoking a visitor’s tokens', () => {
  it('closes their sockets and refuses every token they held', async () => {
    const { session, socket } = await connectVisitor(parley);
    await say(socket, 'Hello');
    const renewed = await startVisitorSession(parley.url, 'demo', session.visitorToken);
    expect(renewed.visitorId).toBe(session.visitorId);

    expect(await visitorTokensRevoker(parley.services.ctx, session.visitorId)).toBe(true);

    expect(await closed(socket)).toBe(CLOSE_CODES.unauthorized);
    for (const token of [session.visitorToken, renewed.visitorToken]) {
      expect(await upgrade(token)).toBe('upgrade refused: 401');
      expect(await offlineRequest(token)).toBe(401);
    }
    const after = await startVisitorSession(parley.url, 'demo', renewed.visitorToken);
    expect(after.visitorId).not.toBe(session.visitorId);
  });
});

describe('token expiry', () => {
  it('renews a connected widget’s token half way, so it stays the same visitor past the first expiry', async () => {
    const { session, socket } = await connectVisitor(parley);
    const first = await say(socket, 'Before the boundary');
    const renewal = await socket.waitFor<VisitorServerEvents['visitor.token']>(
      'visitor.token',
      () => true,
      TOKEN_LIFE_MS,
    );
    expect(renewal.visitorToken).not.toBe(session.visitorToken);
    expect(Date.parse(renewal.expiresAt)).toBeGreaterThan(Date.parse(session.visitorTokenExpiresAt));

    // Past the first token's end: it is refused, the renewed one carries on with the history.
    await new Promise((r) => setTimeout(r, Date.parse(session.visitorTokenExpiresAt) - Date.now() + 50));
    expect(await upgrade(session.visitorToken)).toBe('upgrade refused: 401');
    expect(await offlineRequest(session.visitorToken)).toBe(401);
    const again = await TestSocket.visitor(parley.wsUrl, renewal.visitorToken);
    const second = await say(again, 'After the boundary');
    await again.close();
    expect(second.conversationId).toBe(first.conversationId);
    const resumed = await startVisitorSession(parley.url, 'demo', renewal.visitorToken);
    expect(resumed.visitorId).toBe(session.visitorId);
    expect(resumed.history.map((m) => m.text)).toEqual(['Before the boundary', 'After the boundary']);
  });

  it('starts a new visitor from a token that expired', async () => {
    const session = await startVisitorSession(parley.url);
    await new Promise((r) => setTimeout(r, Date.parse(session.visitorTokenExpiresAt) - Date.now() + 50));
    const later = await startVisitorSession(parley.url, 'demo', session.visitorToken);
    expect(later.visitorId).not.toBe(session.visitorId);
  });
});

describe('a token from before expiry existed', () => {
  it('is exchanged at a widget session for the same visitor, and refused on sockets', async () => {
    const session = await startVisitorSession(parley.url);
    const secret = await loadOrCreateSecret(parley.services.ctx.db, 'visitor_token_key');
    const payload = `${session.visitorId}.${parley.demoSiteId}`;
    const legacy = `${payload}.${createHmac('sha256', secret).update(payload).digest('base64url')}`;

    expect(await upgrade(legacy)).toBe('upgrade refused: 401');
    const exchanged = await startVisitorSession(parley.url, 'demo', legacy);
    expect(exchanged.visitorId).toBe(session.visitorId);
    expect(exchanged.visitorToken.split('.')).toHaveLength(5);
  });
});
