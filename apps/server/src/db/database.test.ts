/**
 * The pool's connections failing under Parley: a connection the server ends while Parley holds it
 * between two statements (no query active to take the error) must not crash the process.
 */
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/databases.js';
import { connectDatabase, type DatabaseHandle } from './database.js';

let testDb: TestDatabase;
let database: DatabaseHandle;

beforeAll(async () => {
  testDb = await createTestDatabase();
  database = connectDatabase(testDb.url, 2);
});
afterAll(async () => {
  await database?.close();
  await testDb?.drop();
});

describe('database connections', () => {
  it('survives the server ending a connection held between two statements of a transaction', async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    const admin = new pg.Client({ connectionString: testDb.url });
    await admin.connect();
    try {
      const outcome = database.db
        .transaction()
        .execute(async (tx) => {
          const { rows } = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(tx);
          // The server ends this connection while the transaction waits between its statements.
          await admin.query('SELECT pg_terminate_backend($1)', [rows[0]?.pid]);
          await new Promise((resolve) => setTimeout(resolve, 300));
          await sql`SELECT 1`.execute(tx);
        })
        .then(
          () => 'committed',
          () => 'failed',
        );
      expect(await outcome).toBe('failed');
      expect(uncaught).toEqual([]);
      // The pool dropped the broken connection and answers on a fresh one.
      const { rows } = await sql<{ one: number }>`SELECT 1 AS one`.execute(database.db);
      expect(rows).toEqual([{ one: 1 }]);
    } finally {
      process.off('uncaughtException', onUncaught);
      await admin.end();
    }
  });

  it('prepares a repeated statement once per connection when asked, up to its limit', async () => {
    const prepared = connectDatabase(testDb.url, 1, undefined, undefined, { preparedStatements: 2 });
    try {
      const run = (n: number, factor: string) =>
        sql<{ n: number }>`SELECT ${n}::int * ${sql.raw(factor)} AS n`.execute(prepared.db);
      expect((await run(2, '2')).rows).toEqual([{ n: 4 }]);
      expect((await run(21, '2')).rows).toEqual([{ n: 42 }]);
      expect((await run(5, '3')).rows).toEqual([{ n: 15 }]);
      // Past the limit (two), a statement still runs, unnamed.
      expect((await run(5, '4')).rows).toEqual([{ n: 20 }]);
      const { rows } = await sql<{ statement: string }>`
        SELECT statement FROM pg_prepared_statements ORDER BY statement`.execute(prepared.db);
      expect(rows.map((row) => row.statement)).toEqual([
        'SELECT $1::int * 2 AS n',
        'SELECT $1::int * 3 AS n',
      ]);
    } finally {
      await prepared.close();
    }
  });
});
