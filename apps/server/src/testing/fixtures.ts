/**
 * Factories for integration tests: an operator who is logged in with a
 * console socket connected (so the site is online), visitors with sockets,
 * and row counts to prove that a refused request wrote nothing.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { createOperator } from '../modules/operators/commands.js';
import { waitForSearchIndex } from '../modules/search/indexer.js';
import { addOperatorToSite } from '../modules/sites/commands.js';
import { loginOperator, startVisitorSession, TestSocket } from './clients.js';
import { TEST_ADMIN, type TestParley } from './test-parley.js';

export const newClientId = () => randomBytes(9).toString('base64url');

const openSockets = new Set<TestSocket>();
const tracked = (socket: TestSocket) => {
  openSockets.add(socket);
  return socket;
};

/** Closes every socket the factories opened; call in afterEach so one failed test does not leak presence into the next. */
export async function closeAllSockets(): Promise<void> {
  await Promise.all([...openSockets].map((s) => s.close()));
  openSockets.clear();
}

export async function connectOperator(parley: TestParley, options: { online?: boolean } = {}) {
  const session = await loginOperator(parley.url, TEST_ADMIN.email, TEST_ADMIN.password);
  const socket = tracked(await TestSocket.operator(parley.wsUrl, session.cookie));
  await socket.waitFor('session.ready');
  if (options.online !== false) await socket.request('operator.status', { status: 'online' });
  return { session, socket };
}

export async function connectVisitor(parley: TestParley, token?: string) {
  const session = await startVisitorSession(parley.url, 'demo', token);
  const socket = tracked(await TestSocket.visitor(parley.wsUrl, session.visitorToken));
  await socket.waitFor('session.ready');
  return { session, socket };
}

/** Another operator, working on `siteId` (default: the demo site), logged in. */
export async function addOperator(parley: TestParley, name: string, siteId = parley.demoSiteId) {
  const email = `${name.toLowerCase()}@parley.test`;
  const password = `${name}-password`;
  const operator = await createOperator(parley.services.ctx.db, {
    email,
    password,
    displayName: name,
    role: 'operator',
  });
  await addOperatorToSite(parley.services.ctx.db, siteId, operator.id);
  return { operator, session: await loginOperator(parley.url, email, password) };
}

const COUNTED_TABLES = [
  'messages',
  'conversations',
  'visitors',
  'operators',
  'operator_sessions',
  'sites',
  'files',
] as const;

/** Row counts of every table a client can write to. */
export async function countRows(db: Db): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of COUNTED_TABLES) {
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(db);
    counts[table] = rows[0]?.n ?? 0;
  }
  return counts;
}

/**
 * A fingerprint of every row of every table but `operator_sessions`, to prove
 * a refused call wrote nothing: unlike `countRows` it also sees an UPDATE.
 * Sessions are left out because authenticating may record a session's use;
 * what a refusal must leave alone is the domain's rows.
 */
export async function snapshotRows(db: Db): Promise<Record<string, string>> {
  // Search's rows follow a message a moment later (modules/search/indexer.ts): let earlier messages'
  // land first, so the snapshot changes only by what the call under test writes.
  await waitForSearchIndex(db);
  const { rows: tables } = await sql<{ name: string }>`
    SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'operator_sessions'
    ORDER BY table_name`.execute(db);
  const snapshot: Record<string, string> = {};
  for (const { name } of tables) {
    const { rows } = await sql<{ digest: string }>`
      SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS digest
      FROM ${sql.table(name)} AS t`.execute(db);
    snapshot[name] = rows[0]?.digest ?? '';
  }
  return snapshot;
}
