/**
 * Applies migrations/*.sql in name order, each once, each in its own
 * transaction. An advisory lock lets several nodes start at once safely.
 * Migrations run without the pool's statement timeouts: building an index
 * on a big table may take minutes, and a node waiting for another node's
 * migrations waits on the advisory lock.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations', import.meta.url));
const LOCK_KEY = 7_220_011; // arbitrary, constant: "parley migrations"
/** The client-side bound per migration statement (pg treats 0 as "use the pool's"): a day, i.e. none. */
const UNBOUNDED_MS = 24 * 3600_000;

export async function migrate(pool: pg.Pool): Promise<string[]> {
  const client = await pool.connect();
  const applied: string[] = [];
  // pg reads a per-query query_timeout (client.js) that its types do not declare.
  const run = (text: string, values?: unknown[]) =>
    client.query({ text, values, query_timeout: UNBOUNDED_MS } as pg.QueryConfig);
  try {
    await run('SET statement_timeout = 0');
    await run('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const done = new Set(
      (await client.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((r) => r.name),
    );
    const files = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql')).sort();
    for (const file of files) {
      if (done.has(file)) continue;
      const sql = await readFile(join(MIGRATIONS_DIR, file), 'utf8');
      await client.query('BEGIN');
      try {
        await run(sql);
        await client.query('INSERT INTO schema_migrations (name) VALUES ($1)', [file]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`Migration ${file} failed: ${(error as Error).message}`);
      }
      applied.push(file);
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => {});
    // Back to the pool's statement_timeout (the one given at connection start) before others use it.
    await client.query('RESET statement_timeout').catch(() => {});
    client.release();
  }
  return applied;
}
