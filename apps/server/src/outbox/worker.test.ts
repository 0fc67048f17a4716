/**
 * The outbox worker on a real PostgreSQL with a real topic whose handler
 * writes to tables: two nodes' workers never deliver a row twice, a poisoned
 * row backs off and dies without holding the others up, a rolled-back
 * transaction leaves nothing, a commit wakes an idle worker at once, and
 * shutdown lets running handlers finish (or hands their rows back).
 */
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type DatabaseHandle } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { createLogger } from '../logger.js';
import { createTestDatabase, type TestDatabase } from '../testing/databases.js';
import {
  createTestTopicTables,
  enqueueTest,
  listTestAttempts,
  listTestEffects,
  type TestHandlerOptions,
  testTopicHandlers,
} from '../testing/outbox-test-topic.js';
import { waitUntil } from '../testing/wait-until.js';
import { OutboxWorker, type OutboxWorkerOptions } from './worker.js';

const log = createLogger('silent', 'test');

let testDb: TestDatabase;
let database: DatabaseHandle;
const workers: OutboxWorker[] = [];
const pools: DatabaseHandle[] = [];

beforeAll(async () => {
  testDb = await createTestDatabase();
  database = connectDatabase(testDb.url, 4);
  await migrate(database.pool);
  await createTestTopicTables(database.db);
});
afterEach(async () => {
  for (const worker of workers.splice(0)) await worker.stop(1000);
  for (const pool of pools.splice(0)) await pool.close();
  await sql`TRUNCATE outbox, outbox_test_attempts, outbox_test_effects`.execute(database.db);
});
afterAll(async () => {
  await database?.close();
  await testDb?.drop();
});

/** A worker as a node would run it: its own pool (its own connections), its own name. */
function startWorker(
  name: string,
  options: Partial<OutboxWorkerOptions> & { handler?: TestHandlerOptions } = {},
): OutboxWorker {
  const own = connectDatabase(testDb.url, 4);
  pools.push(own);
  const worker = new OutboxWorker({
    database: own,
    handlers: testTopicHandlers(own.db, name, options.handler),
    nodeId: name,
    log,
    pollMs: 200,
    ...options,
  });
  workers.push(worker);
  return worker;
}

interface StoredRow {
  id: string;
  status: string;
  attempts: number;
  last_error: string | null;
  locked_by: string | null;
  finished_at: Date | null;
}

const storedRow = async (id: string) =>
  (
    await sql<StoredRow>`SELECT id, status, attempts, last_error, locked_by, finished_at FROM outbox WHERE id = ${id}`.execute(
      database.db,
    )
  ).rows[0];

const enqueueKeys = (keys: string[]) =>
  database.db
    .transaction()
    .execute(async (tx) =>
      Promise.all(keys.map((key) => enqueueTest(tx, { topic: 'test.deliver', payload: { key } }))),
    );

describe('OutboxWorker', () => {
  it('two nodes working the same outbox at once deliver each of 300 rows exactly once', async () => {
    const a = startWorker('node-a', { concurrency: 6 });
    const b = startWorker('node-b', { concurrency: 6 });
    await Promise.all([a.start(), b.start()]);
    // Rows arrive while both are claiming, so their claims race on the same due rows.
    for (let batch = 0; batch < 10; batch++) {
      await enqueueKeys(Array.from({ length: 30 }, (_, i) => `row-${batch * 30 + i}`));
    }
    await waitUntil(async () => (await listTestEffects(database.db)).length === 300, 30_000);
    await waitUntil(async () => a.stats.done + b.stats.done === 300);

    const attempts = await listTestAttempts(database.db);
    // Counted at every handler call, before its effect: a second delivery of any row would show here.
    expect(attempts).toHaveLength(300);
    expect(new Set(attempts.map((x) => x.outbox_id)).size).toBe(300);
    expect(attempts.every((x) => x.attempt === 1)).toBe(true);
    // Both nodes did part of the work.
    expect(a.stats.done).toBeGreaterThan(0);
    expect(b.stats.done).toBeGreaterThan(0);
    const { rows } = await sql<{ status: string; n: number }>`
      SELECT status, count(*)::int AS n FROM outbox GROUP BY status`.execute(database.db);
    expect(rows).toEqual([{ status: 'done', n: 300 }]);
  });

  it('a poisoned row backs off and ends dead with its error, without holding up the rows behind it', async () => {
    const worker = startWorker('single', { concurrency: 1, backoff: { baseMs: 200, capMs: 10_000 } });
    const poisoned = await enqueueTest(database.db, {
      topic: 'test.deliver',
      payload: { key: 'poison', poison: true },
      maxAttempts: 4,
    });
    await enqueueKeys(Array.from({ length: 20 }, (_, i) => `good-${i}`));
    await worker.start();

    await waitUntil(async () => (await storedRow(poisoned))?.status === 'dead');
    const row = await storedRow(poisoned);
    expect(row).toMatchObject({ status: 'dead', attempts: 4, locked_by: null });
    expect(row?.last_error).toBe('Error: poisoned: poison');
    expect(row?.finished_at).toBeInstanceOf(Date);

    const attempts = await listTestAttempts(database.db);
    const poisonAttempts = attempts.filter((a) => a.outbox_id === poisoned);
    expect(poisonAttempts.map((a) => a.attempt)).toEqual([1, 2, 3, 4]);
    // Each wait is at least half its growing ceiling (200, 400, 800 ms): the backoff with its jitter.
    const gaps = poisonAttempts
      .slice(1)
      .map((a, i) => a.at.getTime() - (poisonAttempts[i]?.at.getTime() ?? 0));
    expect(gaps[0]).toBeGreaterThanOrEqual(100 - 5);
    expect(gaps[1]).toBeGreaterThanOrEqual(200 - 5);
    expect(gaps[2]).toBeGreaterThanOrEqual(400 - 5);
    // With one slot, the other rows all went through while the poisoned one was waiting.
    const effects = await listTestEffects(database.db);
    expect(effects).toHaveLength(20);
    const lastPoisonAttempt = poisonAttempts[3]?.at.getTime() ?? 0;
    const goodAttempts = attempts.filter((a) => a.outbox_id !== poisoned);
    expect(goodAttempts.every((a) => a.at.getTime() < lastPoisonAttempt)).toBe(true);
    expect(worker.stats).toMatchObject({ done: 20, retried: 3, dead: 1 });
  });

  it('a permanent failure gives the row up at once', async () => {
    const worker = startWorker('single');
    const id = await enqueueTest(database.db, {
      topic: 'test.deliver',
      payload: { key: 'refused', permanent: true },
    });
    await worker.start();
    await waitUntil(async () => (await storedRow(id))?.status === 'dead');
    expect(await storedRow(id)).toMatchObject({
      attempts: 1,
      last_error: 'PermanentOutboxError: refused for good: refused',
    });
  });

  it('a rolled-back transaction leaves no row and nothing is delivered; its committed twin is, at once', async () => {
    // A poll interval far longer than the test: only the commit's NOTIFY can wake this worker in time.
    const worker = startWorker('idle', { pollMs: 60_000 });
    await worker.start();
    await new Promise((r) => setTimeout(r, 200)); // asleep after its first empty claim

    await expect(
      database.db.transaction().execute(async (tx) => {
        await enqueueTest(tx, { topic: 'test.deliver', payload: { key: 'rolled-back' } });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM outbox`.execute(database.db);
    expect(rows[0]?.n).toBe(0);

    const started = Date.now();
    await enqueueKeys(['committed']);
    await waitUntil(async () => (await listTestEffects(database.db)).length > 0, 5_000);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await listTestEffects(database.db)).map((e) => e.key)).toEqual(['committed']);
    expect(await listTestAttempts(database.db)).toHaveLength(1);
  });

  it('a row enqueued for later runs when it falls due, not before', async () => {
    const worker = startWorker('scheduler', { pollMs: 60_000 });
    await worker.start();
    const runAt = new Date(Date.now() + 700);
    await enqueueTest(database.db, { topic: 'test.deliver', payload: { key: 'later' }, runAt });
    await new Promise((r) => setTimeout(r, 300));
    expect(await listTestAttempts(database.db)).toEqual([]);
    await waitUntil(async () => (await listTestEffects(database.db)).length === 1, 5_000);
    const [attempt] = await listTestAttempts(database.db);
    expect(attempt?.at.getTime()).toBeGreaterThanOrEqual(runAt.getTime() - 50);
  });

  it('a handler running longer than its lease keeps its row: the lease is extended, no other node takes it', async () => {
    const a = startWorker('long-a', { leaseMs: 600 });
    const b = startWorker('long-b', { leaseMs: 600 });
    const id = await enqueueTest(database.db, {
      topic: 'test.deliver',
      payload: { key: 'long', sleepMs: 2000 },
    });
    await Promise.all([a.start(), b.start()]);
    await waitUntil(async () => (await storedRow(id))?.status === 'done');
    expect(await listTestAttempts(database.db)).toHaveLength(1);
    expect(await storedRow(id)).toMatchObject({ attempts: 1, last_error: null });
  });

  it('stop() stops claiming and lets a running handler finish', async () => {
    let started = false;
    const worker = startWorker('draining', { handler: { onAttempt: () => (started = true) } });
    await worker.start();
    const id = await enqueueTest(database.db, {
      topic: 'test.deliver',
      payload: { key: 'slow', sleepMs: 400 },
    });
    await waitUntil(async () => started);
    expect(await storedRow(id)).toMatchObject({ status: 'running' });
    await worker.stop(5_000);
    expect(await storedRow(id)).toMatchObject({ status: 'done', attempts: 1 });
    expect((await listTestEffects(database.db)).map((e) => e.key)).toEqual(['slow']);
    // Stopped: a row enqueued now stays pending.
    const [later] = await enqueueKeys(['after-stop']);
    await new Promise((r) => setTimeout(r, 400));
    expect(await storedRow(later ?? '')).toMatchObject({ status: 'pending', attempts: 0 });
  });

  it('a handler still running when the drain ends is aborted and its row handed back, due at once', async () => {
    let started = false;
    const worker = startWorker('stuck', { handler: { hang: true, onAttempt: () => (started = true) } });
    await worker.start();
    const [id] = await enqueueKeys(['stuck']);
    await waitUntil(async () => started);
    await worker.stop(200);
    const row = await storedRow(id ?? '');
    expect(row).toMatchObject({ status: 'pending', attempts: 1, locked_by: null });
    expect(row?.last_error).toBe('attempt 1 cut short by a shutdown');
    const { rows } = await sql<{ due: boolean }>`
      SELECT next_attempt_at <= now() AS due FROM outbox WHERE id = ${id}`.execute(database.db);
    expect(rows[0]?.due).toBe(true);
    // Another node takes it over without waiting for a lease, and it counts as the second attempt.
    const next = startWorker('next');
    await next.start();
    await waitUntil(async () => (await storedRow(id ?? ''))?.status === 'done');
    expect(await storedRow(id ?? '')).toMatchObject({ attempts: 2 });
  });
});
