/**
 * The outbox against real crashes: a node process SIGKILLed right after the
 * commit that enqueued, and one SIGKILLed in the middle of a handler. Another
 * worker (a node restarted, or a second node) delivers every row once, and a
 * reclaimed row keeps its id.
 */
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type DatabaseHandle } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { createLogger } from '../logger.js';
import { createTestDatabase, type TestDatabase } from '../testing/databases.js';
import { type OutboxNode, startOutboxNode } from '../testing/outbox-node.js';
import {
  createTestTopicTables,
  enqueueTest,
  listTestAttempts,
  listTestEffects,
  testTopicHandlers,
} from '../testing/outbox-test-topic.js';
import { waitUntil } from '../testing/wait-until.js';
import { OutboxWorker } from './worker.js';

const log = createLogger('silent', 'test');

let testDb: TestDatabase;
let database: DatabaseHandle;
const workers: OutboxWorker[] = [];
const nodes: OutboxNode[] = [];

async function startNode(env: Record<string, string>, until: RegExp): Promise<OutboxNode> {
  const node = await startOutboxNode(testDb.url, env, until);
  nodes.push(node);
  return node;
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  database = connectDatabase(testDb.url, 4);
  await migrate(database.pool);
  await createTestTopicTables(database.db);
});
afterEach(async () => {
  for (const worker of workers.splice(0)) await worker.stop(1000);
  for (const node of nodes.splice(0)) if (node.child.exitCode === null) node.child.kill('SIGKILL');
  await sql`TRUNCATE outbox, outbox_test_attempts, outbox_test_effects`.execute(database.db);
});
afterAll(async () => {
  await database?.close();
  await testDb?.drop();
});

function startWorker(name: string, options: Partial<ConstructorParameters<typeof OutboxWorker>[0]> = {}) {
  const worker = new OutboxWorker({
    database,
    handlers: testTopicHandlers(database.db, name),
    nodeId: name,
    log,
    pollMs: 100,
    ...options,
  });
  workers.push(worker);
  return worker;
}

const statuses = async () =>
  (
    await sql<{
      status: string;
      n: number;
    }>`SELECT status, count(*)::int AS n FROM outbox GROUP BY status`.execute(database.db)
  ).rows;

// Each test starts a node process (tsx compiles it on the way): slow on a loaded machine.
describe('outbox crashes', { timeout: 90_000 }, () => {
  it('delivers once, after a restart, rows whose node died right after committing them', async () => {
    const node = await startNode(
      // A short lease: the node's own worker, woken by the commit's NOTIFY, may claim some rows in the
      // instant before the kill lands (seen on a busy machine); those come back when the lease ends.
      { OUTBOX_TEST_MODE: 'commit-then-crash', OUTBOX_TEST_ROWS: '25', OUTBOX_TEST_LEASE_MS: '1500' },
      /committed/,
    );
    expect(await node.exited()).toBe('SIGKILL');
    // Committed and undelivered: the crash came between the commit and any handler's work. Rows are
    // pending, or claimed by the dead node and not yet attempted.
    const left = await statuses();
    expect(left.every((row) => row.status === 'pending' || row.status === 'running')).toBe(true);
    expect(left.reduce((sum, row) => sum + row.n, 0)).toBe(25);
    expect(await listTestAttempts(database.db)).toEqual([]);

    await startWorker('restarted').start();
    await waitUntil(async () => (await listTestEffects(database.db)).length === 25);
    await waitUntil(async () => (await statuses())[0]?.status === 'done' && (await statuses()).length === 1);

    const attempts = await listTestAttempts(database.db);
    expect(attempts).toHaveLength(25);
    expect(new Set(attempts.map((a) => a.outbox_id)).size).toBe(25);
    expect((await listTestEffects(database.db)).map((e) => e.key).sort()).toEqual(
      Array.from({ length: 25 }, (_, i) => `crash-${i}`).sort(),
    );
  });

  it('reclaims rows of a node killed mid-handler once their lease ends, under the same row id', async () => {
    const leaseMs = 1500;
    const rows = 5;
    const node = await startNode(
      { OUTBOX_TEST_MODE: 'hang', OUTBOX_TEST_LEASE_MS: String(leaseMs) },
      /ready/,
    );
    const ids: string[] = [];
    await database.db.transaction().execute(async (tx) => {
      for (let i = 0; i < rows; i++)
        ids.push(await enqueueTest(tx, { topic: 'test.deliver', payload: { key: `hung-${i}` } }));
    });
    // The node's worker (woken by NOTIFY) is inside the handler for every row …
    await waitUntil(async () => new Set(node.output().match(/attempt \S+/g)).size === rows);
    node.child.kill('SIGKILL');
    await node.exited();
    const killedAt = Date.now();

    // … and a second node takes them over only after the lease, not before.
    const second = startWorker('second');
    await second.start();
    await waitUntil(async () => (await listTestEffects(database.db)).length === rows);
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual(leaseMs - 500);

    const attempts = await listTestAttempts(database.db);
    for (const id of ids) {
      const mine = attempts.filter((a) => a.outbox_id === id);
      expect(mine.map((a) => [a.attempt, a.worker.startsWith('child-') ? 'killed' : a.worker])).toEqual([
        [1, 'killed'],
        [2, 'second'],
      ]);
    }
    await waitUntil(
      async () => JSON.stringify(await statuses()) === JSON.stringify([{ status: 'done', n: rows }]),
    );
    const { rows: recorded } = await sql<{ attempts: number; last_error: string }>`
      SELECT attempts, last_error FROM outbox`.execute(database.db);
    for (const row of recorded) {
      expect(row.attempts).toBe(2);
      expect(row.last_error).toMatch(/attempt 1 on child-\d+ did not finish before its lease expired/);
    }
  });
});
