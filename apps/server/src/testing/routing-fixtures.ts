/**
 * Routing's test world: a site of its own per test (so one test's waiting
 * chats never reach another's operators), operators with a chat limit whose
 * consoles are connected and online, and visitors of that site.
 */
import { randomBytes } from 'node:crypto';
import type { MessageDTO } from '@parley/protocol';
import { createOperator } from '../modules/operators/commands.js';
import { addOperatorToSite, createSite } from '../modules/sites/commands.js';
import { loginOperator, type OperatorSession, startVisitorSession, TestSocket } from './clients.js';
import { newClientId } from './fixtures.js';
import type { TestParley } from './test-parley.js';

const opened = new Set<TestSocket>();

/** Closes every socket these helpers opened (call in afterEach). */
export async function closeRoutingSockets(): Promise<void> {
  await Promise.all([...opened].map((s) => s.close()));
  opened.clear();
}

export async function routingSite(parley: TestParley) {
  return createSite(parley.services.ctx.db, {
    name: `Shop ${randomBytes(3).toString('hex')}`,
    allowedOrigins: [],
  });
}

export interface RoutingOperator {
  id: string;
  name: string;
  session: OperatorSession;
  socket: TestSocket;
}

/** An operator of `siteId` with `chatLimit`, logged in on `node` (default: `parley`), console connected, online. */
export async function onlineOperator(
  parley: TestParley,
  siteId: string,
  name: string,
  options: {
    chatLimit?: number;
    node?: TestParley;
    status?: 'online' | 'away';
    /** 'admin': works on every site by role, so no grant is written. */
    role?: 'operator' | 'admin';
  } = {},
): Promise<RoutingOperator> {
  const db = parley.services.ctx.db;
  const suffix = randomBytes(3).toString('hex');
  const email = `${name.toLowerCase()}-${suffix}@parley.test`;
  const operator = await createOperator(db, {
    email,
    password: 'routing-password',
    displayName: name,
    role: options.role ?? 'operator',
  });
  if ((options.role ?? 'operator') === 'operator') await addOperatorToSite(db, siteId, operator.id);
  if (options.chatLimit !== undefined)
    await db
      .updateTable('operators')
      .set({ chat_limit: options.chatLimit })
      .where('id', '=', operator.id)
      .execute();
  const node = options.node ?? parley;
  const session = await loginOperator(node.url, email, 'routing-password');
  const socket = await TestSocket.operator(node.wsUrl, session.cookie);
  opened.add(socket);
  await socket.waitFor('session.ready');
  await socket.request('operator.status', { status: options.status ?? 'online' });
  return { id: operator.id, name, session, socket };
}

/** A visitor of the site with its socket open (on `node`). */
export async function routingVisitor(node: TestParley, siteKey: string) {
  const session = await startVisitorSession(node.url, siteKey);
  const socket = await TestSocket.visitor(node.wsUrl, session.visitorToken);
  opened.add(socket);
  await socket.waitFor('session.ready');
  const send = async (text: string, extra: Record<string, unknown> = {}) =>
    (
      await socket.request<{ message: MessageDTO }>('message.send', {
        clientId: newClientId(),
        text,
        ...extra,
      })
    ).message;
  return { session, socket, send };
}

/** Open conversations per assignee on a site (null: unassigned). */
export async function assigneesOf(parley: TestParley, siteId: string): Promise<Map<string | null, string[]>> {
  const rows = await parley.services.ctx.db
    .selectFrom('conversations')
    .select(['id', 'assignee_id'])
    .where('site_id', '=', siteId)
    .where('status', '=', 'open')
    .orderBy('created_at')
    .execute();
  const byAssignee = new Map<string | null, string[]>();
  for (const row of rows)
    byAssignee.set(row.assignee_id, [...(byAssignee.get(row.assignee_id) ?? []), row.id]);
  return byAssignee;
}
