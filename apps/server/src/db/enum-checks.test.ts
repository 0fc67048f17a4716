/**
 * The database's CHECK constraints hold the same values as the protocol's
 * enumerations: SQL cannot import them, so this test is what keeps the two
 * from drifting (a new role or status needs a migration, and this says so).
 */
import {
  AUTHOR_KINDS,
  CONVERSATION_CHANNELS,
  CONVERSATION_STATUSES,
  OPERATOR_ROLES,
  OPERATOR_STATUSES,
} from '@parley/protocol';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/databases.js';
import { migrate } from './migrate.js';

let database: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  database = await createTestDatabase();
  pool = new pg.Pool({ connectionString: database.url });
  await migrate(pool);
});
afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

/** The values a CHECK constraint on `table.column` allows, as `pg_get_constraintdef` prints them. */
async function allowedValues(table: string, column: string): Promise<string[]> {
  const { rows } = await pool.query<{ def: string }>(
    `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint
     WHERE contype = 'c' AND conrelid = $1::regclass`,
    [table],
  );
  const def = rows.map((r) => r.def).find((d) => new RegExp(`\\b${column}\\b`).test(d));
  if (!def) throw new Error(`no CHECK constraint on ${table}.${column}`);
  return [...def.matchAll(/'([^']*)'::text/g)].map((m) => m[1] ?? '').sort();
}

it.each([
  ['operators', 'role', OPERATOR_ROLES],
  ['operators', 'status', OPERATOR_STATUSES],
  ['conversations', 'status', CONVERSATION_STATUSES],
  ['conversations', 'channel', CONVERSATION_CHANNELS],
  ['messages', 'author_kind', AUTHOR_KINDS],
] as const)('%s.%s allows exactly the protocol values', async (table, column, values) => {
  expect(await allowedValues(table, column)).toEqual([...values].sort());
});
