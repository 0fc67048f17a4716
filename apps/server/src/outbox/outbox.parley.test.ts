/**
 * The outbox as a running Parley has it: started with the services, fed by a
 * domain change's transaction, woken by that commit (not by its 5 s poll),
 * and drained when the node closes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type DatabaseHandle } from '../db/database.js';
import { createTestDatabase, type TestDatabase } from '../testing/databases.js';
import {
  createTestTopicTables,
  enqueueTest,
  listTestAttempts,
  listTestEffects,
  testTopicHandlers,
} from '../testing/outbox-test-topic.js';
import { startTestParley, type TestParley } from '../testing/test-parley.js';
import { waitUntil } from '../testing/wait-until.js';

let testDb: TestDatabase;
let parley: TestParley;
let closed = false;
/** Our own connections, to look at the outbox after the node has closed its pool. */
let observer: DatabaseHandle;

beforeAll(async () => {
  testDb = await createTestDatabase();
  parley = await startTestParley({
    databaseUrl: testDb.url,
    outboxHandlers: (ctx) => testTopicHandlers(ctx.db, 'parley'),
  });
  await createTestTopicTables(parley.services.ctx.db);
  observer = connectDatabase(testDb.url, 2);
});
afterAll(async () => {
  if (!closed) await parley?.close();
  await observer?.close();
  await testDb?.drop();
});

describe("a Parley node's outbox", () => {
  it('runs work queued in a domain change, right after its commit', async () => {
    const { db } = parley.services.ctx;
    const visitor = await db
      .insertInto('visitors')
      .values({ site_id: parley.demoSiteId })
      .returning('id')
      .executeTakeFirstOrThrow();
    const started = Date.now();
    await db.transaction().execute(async (tx) => {
      await tx.updateTable('visitors').set({ email: 'v@shop.test' }).where('id', '=', visitor.id).execute();
      await enqueueTest(tx, { topic: 'test.deliver', payload: { key: `visitor ${visitor.id}` } });
    });
    await waitUntil(async () => (await listTestEffects(db)).length === 1, 4_000);
    // Well inside the 5 s poll: the commit's NOTIFY woke the worker.
    expect(Date.now() - started).toBeLessThan(4_000);
    expect((await listTestEffects(db))[0]?.key).toBe(`visitor ${visitor.id}`);
  });

  it('lets a running handler finish when the node closes', async () => {
    const { db } = parley.services.ctx;
    const id = await enqueueTest(db, {
      topic: 'test.deliver',
      payload: { key: 'at-shutdown', sleepMs: 500 },
    });
    await waitUntil(async () => (await listTestAttempts(db)).some((a) => a.outbox_id === id), 4_000);
    closed = true;
    await parley.close();
    const row = await observer.db
      .selectFrom('outbox')
      .select(['status', 'attempts'])
      .where('id', '=', id)
      .executeTakeFirst();
    expect(row).toEqual({ status: 'done', attempts: 1 });
    expect((await listTestEffects(observer.db)).map((e) => e.key)).toContain('at-shutdown');
  });
});
