/**
 * The servers the message-path benchmark measures, each a child process on
 * 127.0.0.1: Parley started as `npm start` does (embedded PostgreSQL, or a
 * fresh database on the machine's PostgreSQL) and the bare `ws` relay. Each
 * knows how to make visitor tokens and operator credentials for the load
 * generator, and how to stop completely.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { loginOperator, startVisitorSession } from '../apps/server/src/testing/clients.js';
import { createTestDatabase } from '../apps/server/src/testing/databases.js';
import { E2E_ADMIN, startParleyProcess } from '../e2e/support/parley-process.js';
import { cpuSeconds } from './proc-stats.js';

export interface DatabaseCounters {
  /** Transactions committed in the database. */
  commits: number;
  /** WAL flushes to disk and WAL records, cluster-wide (pg_stat_wal). */
  walSyncs: number;
  walRecords: number;
  /** Updates of `conversations` rows, and how many of them were HOT (no index entries written). */
  conversationUpdates: number;
  conversationHotUpdates: number;
  /** Where the WAL was when read: `walOfDatabase` counts this database's own records between two readings. */
  walLsn: string;
}

/** WAL records between two LSNs that touched this database's relations (pg_walinspect), per relation. */
export interface DatabaseWal {
  /** Records with a block of this database, and their bytes (full-page images included). */
  records: number;
  bytes: number;
  byRelation: { relation: string; records: number; bytes: number }[];
}

export const TARGET_NAMES = [
  'parley-embedded',
  'parley-local',
  'baseline-relay',
  // The same two Parley targets, run from an earlier checkout (--before-dir): "did this change slow it down?"
  'parley-embedded-before',
  'parley-local-before',
  // parley-local without search's per-message work (migration 016's trigger dropped): what search costs a message.
  'parley-local-no-search',
] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

export interface Target {
  name: TargetName;
  /** http://127.0.0.1:PORT */
  url: string;
  pid: number;
  /** One token per visitor (a real widget session for Parley). */
  visitorTokens(count: number): Promise<string[]>;
  /** Upgrade headers of an operator socket. */
  operatorHeaders(): Promise<Record<string, string>>;
  /** Counters of the target's database (local PostgreSQL only): the evidence of what one message costs it. */
  databaseStats?(): Promise<DatabaseCounters>;
  /** The settings of the target's PostgreSQL that shape the figures (local PostgreSQL only), in words. */
  databaseSettings?(): Promise<string>;
  /**
   * This database's own WAL records between two readings (local PostgreSQL only): pg_stat_wal counts the whole
   * cluster, which other work on the machine writes to as well; this counts only records of its relations.
   */
  walOfDatabase?(fromLsn: string, toLsn: string): Promise<DatabaseWal>;
  /** CPU seconds used so far by each backend serving this database (local PostgreSQL only), by pid. */
  backendCpuSeconds?(): Promise<Map<number, number>>;
  /**
   * Bytes the target's database takes on disk (pg_database_size), or only these tables with their indexes and
   * TOAST (pg_total_relation_size); Parley targets only.
   */
  databaseBytes?(tables?: readonly string[]): Promise<number>;
  stop(): Promise<void>;
}

const SESSION_CONCURRENCY = 16;
const repoRoot = fileURLToPath(new URL('../', import.meta.url));

export interface TargetOptions {
  /** Extra environment of the server's process (e.g. the profiler preload). */
  env?: Record<string, string>;
  /** PostgreSQL `options` for Parley's connections to the local PostgreSQL, e.g. '-c synchronous_commit=off'. */
  postgresOptions?: string;
  /** The checkout (with node_modules) the `*-before` targets run from. */
  beforeDir?: string;
}

export async function startTarget(name: TargetName, options: TargetOptions = {}): Promise<Target> {
  return name === 'baseline-relay' ? startRelay(options) : startParley(name, options);
}

async function startParley(name: TargetName, options: TargetOptions): Promise<Target> {
  const before = name.endsWith('-before');
  if (before && !options.beforeDir) throw new Error(`${name} needs --before-dir`);
  const database = name.startsWith('parley-embedded') ? 'embedded' : 'local';
  // With options, the database is made here (the connection string carries them) and dropped here.
  const ownDatabase =
    database === 'local' && options.postgresOptions ? await createTestDatabase('parley_bench') : null;
  const parley = await startParleyProcess({
    ...(before && options.beforeDir && { root: options.beforeDir }),
    database: ownDatabase
      ? { url: `${ownDatabase.url}?options=${encodeURIComponent(options.postgresOptions ?? '')}` }
      : database,
    // The per-visitor limit (30/min) would refuse the load itself, and every simulated visitor comes
    // from 127.0.0.1, so the per-IP and per-site budgets are lifted too; logins are repeated only on retries.
    // (A 'before' checkout that predates these settings ignores them.)
    env: {
      VISITOR_MESSAGES_PER_MINUTE: '100000',
      VISITOR_MESSAGES_PER_IP_PER_MINUTE: '10000000',
      SITE_VISITOR_MESSAGES_PER_MINUTE: '10000000',
      NEW_VISITORS_PER_IP_PER_MINUTE: '1000000',
      NEW_VISITORS_PER_SITE_PER_MINUTE: '1000000',
      // The database bounds (issue 9) refuse work that waits 3 s for a connection or runs 5 s: on a shared,
      // overloaded machine the warm-up's burst then sheds messages the code before them simply queued,
      // and the targets no longer do the same work. Both wait as long as it takes here.
      DATABASE_CONNECT_TIMEOUT_MS: '120000',
      DATABASE_STATEMENT_TIMEOUT_MS: '120000',
      LOG_LEVEL: 'warn',
      ...options.env,
    },
  });
  if (parley.pid === undefined) throw new Error('Parley started without a pid');
  const stats = parley.databaseUrl ? new pg.Client({ connectionString: parley.databaseUrl }) : null;
  await stats?.connect();
  // Reads WAL records by relation; a superuser's extension in the benchmark's own database.
  await stats?.query('CREATE EXTENSION IF NOT EXISTS pg_walinspect');
  // Other work on the machine writes WAL fast enough to have it recycled before it is read: a temporary
  // slot (gone with this connection, when the target stops) keeps it.
  await stats?.query('SELECT pg_create_physical_replication_slot($1, true, true)', [
    `parley_bench_${process.pid}_${Date.now()}`,
  ]);
  // The embedded database is read through its own credentials and port (DATA_DIR), on first use.
  let embedded: pg.Client | null = null;
  const databaseClient = async (): Promise<pg.Client> => {
    if (stats) return stats;
    if (embedded) return embedded;
    if (!parley.dataDir) throw new Error('no database to read');
    const { password } = JSON.parse(await readFile(join(parley.dataDir, 'pg-credentials.json'), 'utf8')) as {
      password: string;
    };
    // postmaster.pid's fourth line is the port.
    const port = Number(
      (await readFile(join(parley.dataDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[3],
    );
    embedded = new pg.Client({ host: '127.0.0.1', port, user: 'parley', password, database: 'parley' });
    await embedded.connect();
    return embedded;
  };
  if (name === 'parley-local-no-search')
    await stats?.query(
      `DROP TRIGGER IF EXISTS messages_search_index ON messages;
       DROP TRIGGER IF EXISTS messages_search_unindex ON messages`,
    );
  return {
    name,
    url: parley.url,
    pid: parley.pid,
    async visitorTokens(count) {
      const tokens: string[] = new Array(count);
      let next = 0;
      const worker = async () => {
        while (next < count) {
          const i = next++;
          tokens[i] = (await startVisitorSession(parley.url)).visitorToken;
        }
      };
      await Promise.all(Array.from({ length: SESSION_CONCURRENCY }, worker));
      return tokens;
    },
    async operatorHeaders() {
      // One session shared by every operator socket: the server fans out per socket, not per login.
      const session = await loginOperator(parley.url, E2E_ADMIN.email, E2E_ADMIN.password);
      return { cookie: session.cookie };
    },
    ...(stats && {
      async databaseSettings() {
        // autovacuum off (as on the development machines) leaves every replaced conversation row in place.
        const { rows } = await stats.query<{ name: string; setting: string }>(
          `SELECT name, setting FROM pg_settings
           WHERE name IN ('server_version', 'autovacuum', 'synchronous_commit', 'shared_buffers') ORDER BY name`,
        );
        const setting = (name: string) => rows.find((r) => r.name === name)?.setting ?? '?';
        return (
          `PostgreSQL ${setting('server_version')}, autovacuum ${setting('autovacuum')}, ` +
          `synchronous_commit ${setting('synchronous_commit')}, shared_buffers ${setting('shared_buffers')} × 8 kB`
        );
      },
      async databaseStats() {
        const { rows } = await stats.query<Record<keyof DatabaseCounters, string>>(
          `SELECT (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()) AS "commits",
                  wal_sync AS "walSyncs", wal_records AS "walRecords", pg_current_wal_flush_lsn()::text AS "walLsn",
                  (SELECT n_tup_upd FROM pg_stat_user_tables WHERE relname = 'conversations') AS "conversationUpdates",
                  (SELECT n_tup_hot_upd FROM pg_stat_user_tables WHERE relname = 'conversations') AS "conversationHotUpdates"
           FROM pg_stat_wal`,
        );
        const row = rows[0];
        if (!row) throw new Error('no database statistics');
        return {
          commits: Number(row.commits),
          walSyncs: Number(row.walSyncs),
          walRecords: Number(row.walRecords),
          conversationUpdates: Number(row.conversationUpdates),
          conversationHotUpdates: Number(row.conversationHotUpdates),
          walLsn: row.walLsn,
        };
      },
      async walOfDatabase(fromLsn, toLsn) {
        const { rows } = await stats.query<{ relation: string; records: string; bytes: string }>(
          `WITH own AS (
             SELECT (regexp_match(block_ref, 'rel \\d+/(\\d+)/(\\d+)'))::oid[] AS rel, record_length
             FROM pg_get_wal_records_info($1::pg_lsn, $2::pg_lsn)
           )
           SELECT coalesce(c.relname, 'relfilenode ' || own.rel[2]) AS relation,
                  count(*) AS records, sum(record_length) AS bytes
           FROM own LEFT JOIN pg_class c ON c.relfilenode = own.rel[2]
           WHERE own.rel[1] = (SELECT oid FROM pg_database WHERE datname = current_database())
           GROUP BY 1 ORDER BY 2 DESC`,
          [fromLsn, toLsn],
        );
        const byRelation = rows.map((r) => ({
          relation: r.relation,
          records: Number(r.records),
          bytes: Number(r.bytes),
        }));
        return {
          records: byRelation.reduce((sum, r) => sum + r.records, 0),
          bytes: byRelation.reduce((sum, r) => sum + r.bytes, 0),
          byRelation,
        };
      },
      async backendCpuSeconds() {
        const { rows } = await stats.query<{ pid: number }>(
          `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
        );
        return new Map(rows.map((r) => [r.pid, cpuSeconds(r.pid)]));
      },
    }),
    async databaseBytes(tables) {
      const client = await databaseClient();
      const { rows } = tables
        ? await client.query<{ bytes: string }>(
            'SELECT coalesce(sum(pg_total_relation_size(t::regclass)), 0) AS bytes FROM unnest($1::text[]) AS t',
            [tables],
          )
        : await client.query<{ bytes: string }>('SELECT pg_database_size(current_database()) AS bytes');
      return Number(rows[0]?.bytes ?? 0);
    },
    async stop() {
      await stats?.end().catch(() => {});
      await embedded?.end().catch(() => {});
      await parley.stop();
      await ownDatabase?.drop();
      if (parley.dataDir) await rm(parley.dataDir, { recursive: true, force: true });
    },
  };
}

async function startRelay(options: TargetOptions): Promise<Target> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/baseline-relay.ts'], {
    cwd: repoRoot,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error('relay did not start in 30 s')), 30_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Relay: (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`relay exited (${code}): ${output}`));
    });
  });
  if (child.pid === undefined) throw new Error('relay started without a pid');
  return {
    name: 'baseline-relay',
    url,
    pid: child.pid,
    visitorTokens: async (count) => Array.from({ length: count }, (_, i) => `relay-visitor-${i}`),
    operatorHeaders: async () => ({}),
    stop: () => stopChild(child),
  };
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
