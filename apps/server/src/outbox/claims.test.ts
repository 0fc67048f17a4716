/**
 * The worker's statements on a real PostgreSQL: a claim is fenced by its
 * attempt number, a reclaimed row that used its last attempt goes dead, and
 * pruning removes only done rows past their retention.
 */
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type DatabaseHandle } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { createTestDatabase, type TestDatabase } from '../testing/databases.js';
import { enqueueTest } from '../testing/outbox-test-topic.js';
import {
  claimDueRows,
  extendLease,
  markRowDone,
  markRowFailed,
  msUntilNextDue,
  pruneDoneRows,
} from './claims.js';

let testDb: TestDatabase;
let database: DatabaseHandle;

beforeAll(async () => {
  testDb = await createTestDatabase();
  database = connectDatabase(testDb.url, 4);
  await migrate(database.pool);
});
afterEach(async () => {
  await sql`TRUNCATE outbox`.execute(database.db);
});
afterAll(async () => {
  await database?.close();
  await testDb?.drop();
});

const topics = ['test.deliver'];
const claim = (nodeId: string, leaseMs: number, limit = 10) =>
  claimDueRows(database.db, { topics, limit, leaseMs, nodeId });
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rowOf = async (id: string) =>
  (
    await sql<{ status: string; attempts: number; last_error: string | null; locked_by: string | null }>`
      SELECT status, attempts, last_error, locked_by FROM outbox WHERE id = ${id}`.execute(database.db)
  ).rows[0];

describe('outbox claims', () => {
  it('a worker whose lease ran out can no longer finish, fail or extend a row another worker claimed', async () => {
    const id = await enqueueTest(database.db, { topic: 'test.deliver', payload: { key: 'k' } });
    const first = await claim('slow-node', 1000);
    expect(first.rows.map((r) => [r.id, r.attempt])).toEqual([[id, 1]]);
    expect(await claim('other-node', 60_000)).toEqual({ rows: [], taken: 0 }); // leased: not due
    await pause(1100);
    const second = await claim('other-node', 60_000);
    expect(second.rows.map((r) => [r.id, r.attempt])).toEqual([[id, 2]]);
    const stale = first.rows[0];
    if (!stale) throw new Error('no claim');

    expect(await markRowDone(database.db, stale)).toBe(false);
    expect(await markRowFailed(database.db, stale, { error: 'late', retryInMs: 0, permanent: false })).toBe(
      null,
    );
    expect(await extendLease(database.db, stale, 60_000)).toBe(false);
    expect(await rowOf(id)).toMatchObject({ status: 'running', attempts: 2, locked_by: 'other-node' });

    const current = second.rows[0];
    if (!current) throw new Error('no claim');
    expect(await markRowDone(database.db, current)).toBe(true);
    expect(await rowOf(id)).toMatchObject({ status: 'done', attempts: 2, locked_by: null });
  });

  it('a reclaimed row that already used its last attempt goes dead instead of running again', async () => {
    const id = await enqueueTest(database.db, {
      topic: 'test.deliver',
      payload: { key: 'k' },
      maxAttempts: 1,
    });
    expect((await claim('doomed-node', 50)).rows).toHaveLength(1);
    await pause(120);
    expect(await claim('next-node', 60_000)).toEqual({ rows: [], taken: 1 });
    expect(await rowOf(id)).toMatchObject({
      status: 'dead',
      attempts: 1,
      last_error: 'attempt 1 on doomed-node did not finish before its lease expired',
    });
    expect(await msUntilNextDue(database.db, topics)).toBe(null);
  });

  it('claims only the topics asked for, and says when the next row falls due', async () => {
    await sql`INSERT INTO outbox (topic, payload, max_attempts) VALUES ('other.topic', '{}', 3)`.execute(
      database.db,
    );
    expect(await claim('node', 60_000)).toEqual({ rows: [], taken: 0 });
    expect(await msUntilNextDue(database.db, topics)).toBe(null);
    await enqueueTest(database.db, {
      topic: 'test.deliver',
      payload: { key: 'later' },
      runAt: new Date(Date.now() + 30_000),
    });
    const ms = await msUntilNextDue(database.db, topics);
    expect(ms).toBeGreaterThan(25_000);
    expect(ms).toBeLessThanOrEqual(30_000);
  });

  it('pruning removes done rows past their retention and keeps the rest', async () => {
    const ids = await Promise.all(
      ['old-done', 'new-done', 'old-dead', 'pending'].map((key) =>
        enqueueTest(database.db, { topic: 'test.deliver', payload: { key } }),
      ),
    );
    const [oldDone, newDone, oldDead, pending] = ids;
    await sql`UPDATE outbox SET status = 'done', finished_at = now() - interval '2 hours' WHERE id = ${oldDone}`.execute(
      database.db,
    );
    await sql`UPDATE outbox SET status = 'done', finished_at = now() - interval '10 minutes' WHERE id = ${newDone}`.execute(
      database.db,
    );
    await sql`UPDATE outbox SET status = 'dead', finished_at = now() - interval '30 days' WHERE id = ${oldDead}`.execute(
      database.db,
    );
    expect(await pruneDoneRows(database.db, 3600 * 1000, 1)).toBe(1);
    const { rows } = await sql<{ id: string }>`SELECT id FROM outbox ORDER BY id`.execute(database.db);
    expect(rows.map((r) => r.id).sort()).toEqual([newDone, oldDead, pending].sort());
  });

  it('refuses a nonsensical attempt limit before writing anything', async () => {
    await expect(
      enqueueTest(database.db, { topic: 'test.deliver', payload: { key: 'k' }, maxAttempts: 0 }),
    ).rejects.toThrow(/maxAttempts/);
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM outbox`.execute(database.db);
    expect(rows[0]?.n).toBe(0);
  });
});
