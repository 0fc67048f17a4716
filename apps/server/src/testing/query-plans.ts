/**
 * Helpers of the tests that explain the queries Parley sends (hot-query-plans.test.ts,
 * tracking/generic-plans.test.ts): a demo database of their own; the SQL a piece of code sends, captured as it runs; the shape of
 * an EXPLAIN (FORMAT JSON) plan; parameters written as literals for `EXECUTE name(...)` (a utility
 * statement binds no parameters of its own).
 */
import { type CompiledQuery, Kysely, PostgresDialect } from 'kysely';
import type pg from 'pg';
import { connectDatabase, type DatabaseHandle, type Db } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import type { Database } from '../db/schema.js';
import { bootstrapInstallation } from '../modules/installation/bootstrap.js';
import { createTestDatabase } from './databases.js';

/** A database of its own, migrated, with the demo site; `close` ends the pool and drops the database. */
export async function openDemoDatabase(): Promise<{
  handle: DatabaseHandle;
  demoSiteId: string;
  close(): Promise<void>;
}> {
  const testDb = await createTestDatabase();
  // Seeding takes seconds per statement: longer than the statement timeout a live node uses.
  const handle = connectDatabase(testDb.url, 2, undefined, { connectMs: 10_000, statementMs: 120_000 });
  await migrate(handle.pool);
  const installed = await bootstrapInstallation(handle.db, {
    adminEmail: 'admin@plans.test',
    adminPassword: 'plans-password',
    demo: true,
  });
  return {
    handle,
    demoSiteId: installed.demoSiteId ?? '',
    async close() {
      await handle.close();
      await testDb.drop();
    },
  };
}

/** Runs `work` against a Kysely on `pool` that records the SQL it sends, and returns that SQL. */
export async function captureQueries(
  pool: pg.Pool,
  work: (db: Db) => Promise<unknown>,
): Promise<CompiledQuery[]> {
  const queries: CompiledQuery[] = [];
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    log: (event) => {
      queries.push(event.query);
    },
  });
  await work(db);
  return queries;
}

/** A node of an EXPLAIN (ANALYZE, FORMAT JSON) plan: the fields these tests read. */
export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  /** A bitmap index scan names only its index: its rows are entries of the index's table read. */
  'Index Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  Plans?: PlanNode[];
}

/** A query parameter as an SQL literal. */
export function sqlLiteral(client: Pick<pg.ClientBase, 'escapeLiteral'>, value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (value === null || value === undefined) return 'NULL';
  return client.escapeLiteral(text(value));
}

/** Text of a value as PostgreSQL reads it: arrays as array literals, dates in ISO 8601. */
function text(value: unknown): string {
  if (Array.isArray(value))
    return `{${value.map((item) => `"${text(item).replace(/(["\\])/g, '\\$1')}"`).join(',')}}`;
  if (value instanceof Date) return value.toISOString();
  return String(value);
}
