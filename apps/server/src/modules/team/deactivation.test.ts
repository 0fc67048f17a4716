/**
 * Deactivating an operator, on two nodes sharing Redis: their console on the
 * other node is cut at once, their cookie is refused on HTTP and on a new
 * socket, they cannot log in, their open conversations go back to the queue
 * (colleagues see it live), their messages keep their name; reactivating
 * lets them in again. A revoked site reconnects their consoles, which then
 * no longer act on it.
 */
import {
  API_PATHS,
  CLOSE_CODES,
  type ConversationDTO,
  type MessageDTO,
  type MessagePage,
  type TeamMemberResponse,
} from '@parley/protocol';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { ApiError, api, loginOperator, TestSocket } from '../../testing/clients.js';
import { createTestDatabase, TEST_REDIS_URL, type TestDatabase } from '../../testing/databases.js';
import { closeAllSockets, connectVisitor, newClientId } from '../../testing/fixtures.js';
import { startTestParley, TEST_ADMIN, type TestParley } from '../../testing/test-parley.js';
import { createOperator } from '../operators/commands.js';
import { addOperatorToSite } from '../sites/commands.js';

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

async function status(call: Promise<unknown>): Promise<number> {
  try {
    await call;
    return 200;
  } catch (error) {
    if (error instanceof ApiError) return error.status;
    const refused = /upgrade refused: (\d+)/.exec(String(error));
    if (refused) return Number(refused[1]);
    throw error;
  }
}

it('ends their sessions on every node, returns their chats to the queue, keeps their name on messages', async () => {
  const db = nodeA.services.ctx.db;
  const olgaRow = await createOperator(db, {
    email: 'olga@team.test',
    password: 'olga-password',
    displayName: 'Olga',
    role: 'operator',
  });
  await addOperatorToSite(db, nodeA.demoSiteId, olgaRow.id);
  const olga = await loginOperator(nodeB.url, 'olga@team.test', 'olga-password');
  const olgaConsole = await consoleOn(nodeB, olga.cookie);
  const owner = await loginOperator(nodeA.url, TEST_ADMIN.email, TEST_ADMIN.password);
  const ownerConsole = await consoleOn(nodeA, owner.cookie);

  // Olga answers a visitor: the conversation is hers.
  const visitor = await connectVisitor(nodeA);
  const { message } = await visitor.socket.request<{ message: MessageDTO }>('message.send', {
    clientId: newClientId(),
    text: 'Do you ship to Yerevan?',
  });
  const conversationId = message.conversationId;
  await olgaConsole.request('message.send', { conversationId, clientId: newClientId(), text: 'We do!' });
  const assigned = await db
    .selectFrom('conversations')
    .select('assignee_id')
    .where('id', '=', conversationId)
    .executeTakeFirstOrThrow();
  expect(assigned.assignee_id).toBe(olgaRow.id);

  const { body } = await api<TeamMemberResponse>(nodeA.url, API_PATHS.deactivateMember(olgaRow.id), {
    cookie: owner.cookie,
    csrfToken: owner.csrfToken,
    body: {},
  });
  expect(body.member.deactivatedAt).not.toBeNull();

  // Cut at once on the other node; the cookie is refused on HTTP and on a new socket, on both nodes.
  expect(await closed(olgaConsole)).toBe(CLOSE_CODES.unauthorized);
  for (const node of [nodeA, nodeB]) {
    expect(await status(api(node.url, API_PATHS.me, { cookie: olga.cookie }))).toBe(401);
    expect(await status(TestSocket.operator(node.wsUrl, olga.cookie))).toBe(401);
  }
  expect(await status(loginOperator(nodeA.url, 'olga@team.test', 'olga-password'))).toBe(403);
  // A wrong password is told apart from nothing: the answer says nothing about the account.
  expect(await status(loginOperator(nodeA.url, 'olga@team.test', 'wrong-password'))).toBe(401);

  // The chat is back in the queue, and the owner's console heard it live.
  const update = await ownerConsole.waitFor<ConversationDTO>(
    'conversation.updated',
    (c) => c.id === conversationId && c.assigneeId === null,
  );
  expect(update.status).toBe('open');
  // Her reply keeps her name.
  const messages = await api<MessagePage>(nodeA.url, API_PATHS.conversationMessages(conversationId), {
    cookie: owner.cookie,
  });
  expect(messages.body.messages.find((m) => m.text === 'We do!')?.author.name).toBe('Olga');

  // Reactivated, she logs in with her password again.
  await api(nodeA.url, API_PATHS.reactivateMember(olgaRow.id), {
    cookie: owner.cookie,
    csrfToken: owner.csrfToken,
    body: {},
  });
  const back = await loginOperator(nodeB.url, 'olga@team.test', 'olga-password');
  await consoleOn(nodeA, back.cookie);
});

it('revoking a site reconnects their console on every node, which then no longer acts on that site', async () => {
  const db = nodeA.services.ctx.db;
  const petra = await createOperator(db, {
    email: 'petra@team.test',
    password: 'petra-password',
    displayName: 'Petra',
    role: 'operator',
  });
  await addOperatorToSite(db, nodeA.demoSiteId, petra.id);
  const session = await loginOperator(nodeB.url, 'petra@team.test', 'petra-password');
  const console_ = await consoleOn(nodeB, session.cookie);
  const visitor = await connectVisitor(nodeA);
  const { message } = await visitor.socket.request<{ message: MessageDTO }>('message.send', {
    clientId: newClientId(),
    text: 'Hello?',
  });
  const owner = await loginOperator(nodeA.url, TEST_ADMIN.email, TEST_ADMIN.password);
  await api(nodeA.url, API_PATHS.teamMemberSites(petra.id), {
    method: 'PUT',
    cookie: owner.cookie,
    csrfToken: owner.csrfToken,
    body: { siteIds: [] },
  });
  // Not logged out: told to reconnect.
  expect(await closed(console_)).toBe(CLOSE_CODES.restarting);
  const again = await consoleOn(nodeB, session.cookie);
  const clientId = newClientId();
  await expect(
    again.request('message.send', { conversationId: message.conversationId, clientId, text: 'Still here' }),
  ).rejects.toMatchObject({ frame: { error: { code: 'not_found' } } });
});
