/**
 * The search indexer on a real PostgreSQL: a message's statement only queues it; the indexer makes
 * it searchable later, once, in batches; a batch that fails (rolled back) leaves its messages queued;
 * indexers running at once (several nodes) split the queue without doubling or deadlocking.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connectDatabase, type DatabaseHandle } from '../../db/database.js';
import { migrate } from '../../db/migrate.js';
import { createTestDatabase, type TestDatabase } from '../../testing/databases.js';
import { indexPendingMessages, waitForSearchIndex } from './indexer.js';

let testDb: TestDatabase;
let database: DatabaseHandle;
let conversationId: string;
let visitorId: string;
let nextSeq = 1;

beforeAll(async () => {
  testDb = await createTestDatabase();
  database = connectDatabase(testDb.url, 8);
  await migrate(database.pool);
  const { rows } = await database.pool.query(`
    WITH site AS (INSERT INTO sites (name, public_key) VALUES ('Indexer shop', 'indexer') RETURNING id),
    visitor AS (INSERT INTO visitors (site_id) SELECT id FROM site RETURNING id, site_id)
    INSERT INTO conversations (site_id, visitor_id) SELECT site_id, id FROM visitor RETURNING id, visitor_id`);
  conversationId = rows[0].id;
  visitorId = rows[0].visitor_id;
});
afterAll(async () => {
  await database?.close();
  await testDb?.drop();
});
beforeEach(async () => {
  await sql`TRUNCATE search_pending, message_search, search_words`.execute(database.db);
});

/** Writes `texts` in one statement, as the appender writes a batch. */
async function writeMessages(texts: string[]): Promise<void> {
  const seqs = texts.map(() => nextSeq++);
  await database.pool.query(
    `INSERT INTO messages (conversation_id, seq, public_seq, visibility, author_kind, author_id, text)
     SELECT $1, s, s, 'public', 'visitor', $2, t FROM unnest($3::int[], $4::text[]) AS x(s, t)`,
    [conversationId, visitorId, seqs, texts],
  );
}

const count = async (table: 'search_pending' | 'message_search' | 'search_words') =>
  Number((await database.pool.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);

describe('search indexer', () => {
  it('queues a statement’s messages and indexes them once, words included', async () => {
    await writeMessages(['Где мой заказ?', 'Доставка во вторник', 'The delivery was late']);
    expect(await count('search_pending')).toBe(3);
    expect(await count('message_search')).toBe(0);

    expect(await indexPendingMessages(database.db)).toBe(3);
    expect(await count('search_pending')).toBe(0);
    expect(await count('message_search')).toBe(3);
    const words = (await database.pool.query('SELECT word FROM search_words')).rows.map((r) => r.word);
    expect(words).toEqual(expect.arrayContaining(['заказ', 'доставк', 'deliveri']));
    expect(await indexPendingMessages(database.db)).toBe(0);
  });

  it('leaves messages queued when the batch that took them fails', async () => {
    await writeMessages(['Верните деньги за самокат']);
    await expect(
      database.db.transaction().execute(async (tx) => {
        expect(await indexPendingMessages(tx)).toBe(1);
        throw new Error('the node died mid-batch');
      }),
    ).rejects.toThrow('mid-batch');
    expect(await count('search_pending')).toBe(1);
    await waitForSearchIndex(database.db);
    expect(await count('message_search')).toBe(1);
  });

  it('splits the queue between indexers running at once, without doubling or deadlocking', async () => {
    const texts = Array.from({ length: 1200 }, (_, i) => `заказ номер ${i} доставка курьером order delivery`);
    await writeMessages(texts);
    const indexer = async () => {
      let total = 0;
      for (let n = -1; n !== 0; total += n) n = await indexPendingMessages(database.db, 100);
      return total;
    };
    const claimed = await Promise.all([indexer(), indexer(), indexer(), indexer()]);
    expect(claimed.reduce((a, b) => a + b, 0)).toBe(1200);
    expect(await count('message_search')).toBe(1200);
    expect(await count('search_pending')).toBe(0);
  });
});
