/**
 * A console's socket lives no longer than its session: logging out on one
 * node, ending all of an operator's sessions, or the session expiring closes
 * it on every node (through Redis), and a frame sent in between is refused
 * and stores nothing. Expired sessions are swept from the database.
 */
import { CLOSE_CODES, type MessageDTO } from '@parley/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createSession,
  expiredSessionsSweeper,
  operatorSessionsEnder,
} from '../modules/operators/sessions.js';
import { SESSION_COOKIE } from '../modules/policy/authentication.js';
import { api, loginOperator, TestSocket } from '../testing/clients.js';
import { createTestDatabase, TEST_REDIS_URL, type TestDatabase } from '../testing/databases.js';
import { addOperator, closeAllSockets, connectVisitor, newClientId } from '../testing/fixtures.js';
import { startTestParley, TEST_ADMIN, type TestParley } from '../testing/test-parley.js';

let database: TestDatabase;
let nodeA: TestParley;
let nodeB: TestParley;
const sockets: TestSocket[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  nodeA = await startTestParley({ databaseUrl: database.url, redisUrl: TEST_REDIS_URL });
  nodeB = await startTestParley({ databaseUrl: database.url, redisUrl: TEST_REDIS_URL });
});
afterEach(async () => {
  await Promise.all(sockets.splice(0).map((s) => s.close()));
  await closeAllSockets();
});
afterAll(async () => {
  await nodeA?.close();
  await nodeB?.close();
  await database?.drop();
});

async function consoleOn(node: TestParley, cookie: string): Promise<TestSocket> {
  const socket = await TestSocket.operator(node.wsUrl, cookie);
  sockets.push(socket);
  await socket.waitFor('session.ready');
  return socket;
}

function closed(socket: TestSocket, timeoutMs = 5000): Promise<number> {
  if (socket.closeCode !== null) return Promise.resolve(socket.closeCode);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('socket still open')), timeoutMs);
    socket.ws.once('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

/** A visitor on node A with an open conversation; returns its id. */
async function conversationOnA(): Promise<string> {
  const visitor = await connectVisitor(nodeA);
  const { message } = await visitor.socket.request<{ message: MessageDTO }>('message.send', {
    clientId: newClientId(),
    text: 'Hello?',
  });
  return message.conversationId;
}

async function storedWithClientId(clientId: string): Promise<number> {
  const rows = await nodeA.services.ctx.db
    .selectFrom('messages')
    .select('id')
    .where('client_id', '=', clientId)
    .execute();
  return rows.length;
}

describe('logout', () => {
  it('closes the console on another node, and a reply sent in the race is refused, not stored', async () => {
    const conversationId = await conversationOnA();
    const session = await loginOperator(nodeA.url, TEST_ADMIN.email, TEST_ADMIN.password);
    const socket = await consoleOn(nodeB, session.cookie);

    await api(nodeA.url, '/api/auth/logout', {
      cookie: session.cookie,
      csrfToken: session.csrfToken,
      body: {},
    });
    const clientId = newClientId();
    const reply = socket
      .request('message.send', { conversationId, clientId, text: 'Sent after logout' })
      .then(
        () => 'acked',
        (error: Error & { frame?: { error: { code: string } } }) => error.frame?.error.code ?? error.message,
      );

    expect(await closed(socket)).toBe(CLOSE_CODES.unauthorized);
    expect(await reply).not.toBe('acked');
    expect(await storedWithClientId(clientId)).toBe(0);
  });

  it('refuses every frame once the session is gone, even before the news arrives', async () => {
    const conversationId = await conversationOnA();
    const session = await loginOperator(nodeA.url, TEST_ADMIN.email, TEST_ADMIN.password);
    const socket = await consoleOn(nodeB, session.cookie);
    // The session row goes, but no event is published: only the per-frame check can stop the reply.
    await nodeA.services.ctx.db.deleteFrom('operator_sessions').execute();

    const clientId = newClientId();
    await expect(
      socket.request('message.send', { conversationId, clientId, text: 'Too late' }),
    ).rejects.toMatchObject({ frame: { error: { code: 'unauthorized' } } });
    expect(await closed(socket)).toBe(CLOSE_CODES.unauthorized);
    expect(await storedWithClientId(clientId)).toBe(0);
  });

  it('stops live visitor messages reaching a logged-out console', async () => {
    const session = await loginOperator(nodeA.url, TEST_ADMIN.email, TEST_ADMIN.password);
    const socket = await consoleOn(nodeB, session.cookie);
    await api(nodeA.url, '/api/auth/logout', {
      cookie: session.cookie,
      csrfToken: session.csrfToken,
      body: {},
    });
    await closed(socket);
    await conversationOnA();
    expect(socket.messagesReceived()).toEqual([]);
  });
});

describe('ending all sessions of an operator', () => {
  it("closes that operator's consoles on every node and leaves others connected", async () => {
    const zara = await addOperator(nodeA, 'Zara');
    const second = await loginOperator(nodeB.url, 'zara@parley.test', 'Zara-password');
    const onA = await consoleOn(nodeA, zara.session.cookie);
    const onB = await consoleOn(nodeB, second.cookie);
    const admin = await loginOperator(nodeA.url, TEST_ADMIN.email, TEST_ADMIN.password);
    const bystander = await consoleOn(nodeB, admin.cookie);

    expect(await operatorSessionsEnder(nodeA.services.ctx, zara.operator.id)).toBe(2);

    expect(await closed(onA)).toBe(CLOSE_CODES.unauthorized);
    expect(await closed(onB)).toBe(CLOSE_CODES.unauthorized);
    await expect(api(nodeB.url, '/api/auth/me', { cookie: second.cookie })).rejects.toMatchObject({
      status: 401,
    });
    await bystander.request('operator.status', { status: 'away' });
    expect(bystander.closeCode).toBeNull();
  });
});

describe('session expiry', () => {
  it('closes the console when its session expires, having served it until then', async () => {
    const conversationId = await conversationOnA();
    const admin = await nodeA.services.ctx.db
      .selectFrom('operators')
      .select('id')
      .where('email', '=', TEST_ADMIN.email)
      .executeTakeFirstOrThrow();
    const { token } = await createSession(nodeA.services.ctx.db, admin.id, 2000);
    const socket = await consoleOn(nodeB, `${SESSION_COOKIE}=${token}`);
    await socket.request('conversation.sync', { conversationId, afterSeq: 0 });

    const started = Date.now();
    expect(await closed(socket, 6000)).toBe(CLOSE_CODES.unauthorized);
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it('deletes expired sessions and keeps live ones', async () => {
    const { db } = nodeA.services.ctx;
    const admin = await db
      .selectFrom('operators')
      .select('id')
      .where('email', '=', TEST_ADMIN.email)
      .executeTakeFirstOrThrow();
    await db.deleteFrom('operator_sessions').execute();
    await createSession(db, admin.id, -60_000);
    await createSession(db, admin.id, -1);
    const live = await createSession(db, admin.id);

    expect(await expiredSessionsSweeper(db)).toBe(2);
    expect(await expiredSessionsSweeper(db)).toBe(0);
    await api(nodeB.url, '/api/auth/me', { cookie: `${SESSION_COOKIE}=${live.token}` });
  });
});
