/** Parley's own PostgreSQL: starts in a folder and keeps data across restarts. (The folder lock is tested with real processes in main.test.ts.) */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { type EmbeddedDatabase, startEmbeddedPostgres } from './embedded-postgres.js';

const log = createLogger('silent', 'test');
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'parley-embedded-test-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

async function query(db: EmbeddedDatabase, text: string) {
  const client = new pg.Client({ connectionString: db.connectionString });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

describe('embedded PostgreSQL', () => {
  it('keeps rows across a restart, and has the text search configurations Parley relies on', async () => {
    const first = await startEmbeddedPostgres(dataDir, log);
    try {
      await query(first, 'CREATE TABLE kept (v text); INSERT INTO kept VALUES ($$still here$$)');
      const configs = await query(
        first,
        "SELECT cfgname FROM pg_ts_config WHERE cfgname IN ('russian','armenian','english') ORDER BY 1",
      );
      expect(configs.map((r) => r.cfgname)).toEqual(['armenian', 'english', 'russian']);
    } finally {
      await first.stop();
    }
    const second = await startEmbeddedPostgres(dataDir, log);
    try {
      expect(await query(second, 'SELECT v FROM kept')).toEqual([{ v: 'still here' }]);
    } finally {
      await second.stop();
    }
  });
});
