/** What clients are told when a handler fails: the database away is `unavailable`, a bug is `internal`. */
import { createServer } from 'node:net';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { ADMIN_DATABASE_URL } from '../testing/databases.js';
import { conflict, publicErrorOf } from './errors.js';

async function errorOf(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('publicErrorOf', () => {
  it('passes domain errors through as raised', () => {
    expect(publicErrorOf(conflict('Closed'))).toEqual({ code: 'conflict', message: 'Closed' });
  });

  it('tells a statement cancelled by statement_timeout as unavailable', async () => {
    const client = new pg.Client({ connectionString: ADMIN_DATABASE_URL, statement_timeout: 50 });
    await client.connect();
    try {
      const error = await errorOf(() => client.query('SELECT pg_sleep(2)'));
      expect(publicErrorOf(error).code).toBe('unavailable');
    } finally {
      await client.end();
    }
  });

  it('tells a server that does not answer the connection as unavailable', async () => {
    // A listener that accepts and never speaks: what a frozen database looks like from here.
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    try {
      const client = new pg.Client({ host: '127.0.0.1', port, connectionTimeoutMillis: 200 });
      const error = await errorOf(() => client.connect());
      expect(publicErrorOf(error).code).toBe('unavailable');
    } finally {
      silent.close();
    }
  });

  it('keeps a bug a bug: a wrong statement is internal, without its details', async () => {
    const client = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
    await client.connect();
    try {
      const error = await errorOf(() => client.query('SELECT no_such_column FROM pg_class'));
      expect(publicErrorOf(error)).toEqual({
        code: 'internal',
        message: 'Something went wrong on our side; try again',
      });
    } finally {
      await client.end();
    }
  });
});
