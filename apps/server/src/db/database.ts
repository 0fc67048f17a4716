/**
 * The one way to PostgreSQL: a `pg` pool wrapped by Kysely. Every query's SQL
 * and duration is logged at debug level, failures at warn. Connecting and
 * every statement are bounded in time, so a database that stops answering
 * turns into errors, not requests that hang.
 */
import { Kysely, type LogEvent, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** Either the pool or an open transaction: queries accept both. */
export type Queryable = Db | Tx;

// int8 (count(*)) as a JS number: counts here never approach 2^53.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

export interface DatabaseHandle {
  db: Db;
  pool: pg.Pool;
  close(): Promise<void>;
}

/** Where query timings and failures go; pino's logger fits. */
export interface QueryLogger {
  debug(details: object, message: string): void;
  warn(details: object, message: string): void;
  isLevelEnabled(level: string): boolean;
}

function logQuery(log: QueryLogger, event: LogEvent): void {
  const details = () => ({
    sql: event.query.sql.slice(0, 200),
    ms: Math.round(event.queryDurationMillis * 10) / 10,
  });
  if (event.level === 'query') {
    if (log.isLevelEnabled('debug')) log.debug(details(), 'query');
    return;
  }
  // A unique violation is how a retried send is recognised (see append-message.ts): expected, not a warning.
  if ((event.error as { code?: string })?.code === '23505') log.debug(details(), 'query refused: duplicate');
  else log.warn({ ...details(), err: event.error }, 'query failed');
}

/** Time bounds of every connection; see DATABASE_CONNECT_TIMEOUT_MS and DATABASE_STATEMENT_TIMEOUT_MS in env.ts. */
export interface DatabaseTimeouts {
  connectMs: number;
  statementMs: number;
}

export const DEFAULT_DATABASE_TIMEOUTS: DatabaseTimeouts = { connectMs: 3_000, statementMs: 5_000 };

/**
 * The client-side bound of a statement: the server's own statement_timeout cancels a slow statement
 * cleanly; this one, a little later, covers a server that does not answer at all (frozen, partitioned).
 */
export const queryTimeoutOf = (timeouts: DatabaseTimeouts) => timeouts.statementMs + 1_000;

export interface ConnectOptions {
  /**
   * 'off': this pool's commits return before their WAL reaches the disk (PostgreSQL's asynchronous
   * commit). Only for writes whose last fraction of a second may be lost if the database server itself
   * crashes (never corrupted, never half-written): the tracking pool. Chat, mail and accounts stay
   * synchronous.
   */
  synchronousCommit?: 'off';
  /**
   * Parse and plan each distinct parameterized statement once per connection (a named prepared
   * statement) instead of on every call: for a pool running a few statements very often (tracking),
   * where planning cost more than running them. At most this many statements per connection.
   */
  preparedStatements?: number;
}

type QueryFunction = (...args: unknown[]) => unknown;

/** Makes `client` send each distinct parameterized statement as a named prepared statement (see ConnectOptions). */
function prepareRepeatedStatements(client: pg.PoolClient, limit: number): void {
  const names = new Map<string, string>();
  const query = client.query.bind(client) as QueryFunction;
  (client as unknown as { query: QueryFunction }).query = (text, values, callback) => {
    // Only a statement with parameters, as Kysely sends it (transaction control has none).
    if (typeof text === 'string' && Array.isArray(values) && values.length > 0 && callback === undefined) {
      let name = names.get(text);
      if (!name && names.size < limit) {
        name = `parley_${names.size}`;
        names.set(text, name);
      }
      if (name) return query({ name, text, values });
    }
    return query(text, values, callback);
  };
}

export function connectDatabase(
  connectionString: string,
  maxConnections = 10,
  log?: QueryLogger,
  timeouts: DatabaseTimeouts = DEFAULT_DATABASE_TIMEOUTS,
  connect: ConnectOptions = {},
): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString,
    ...(connect.synchronousCommit && { options: `-c synchronous_commit=${connect.synchronousCommit}` }),
    max: maxConnections,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: timeouts.connectMs,
    statement_timeout: timeouts.statementMs,
    query_timeout: queryTimeoutOf(timeouts),
  });
  // An idle client's error (server restart) must not crash the process; the pool replaces it.
  pool.on('error', (error) => log?.warn({ err: error }, 'idle database connection failed'));
  // A checked-out client has no listener of the pool's: the server dying between two statements of a
  // transaction (no query active to reject) would be an unhandled 'error' event and kill the process
  // before main.ts could stop in order. The next statement on it fails and the pool drops it on release.
  pool.on('connect', (client) => {
    client.on('error', (error) => log?.debug({ err: error }, 'database connection failed while in use'));
    if (connect.preparedStatements) prepareRepeatedStatements(client, connect.preparedStatements);
  });
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    log: log ? (event) => logQuery(log, event) : undefined,
  });
  return {
    db,
    pool,
    close: () => db.destroy(),
  };
}
