/**
 * What storing one message costs the database, without sockets or load
 * processes around it: far less noisy than the message-path benchmark's
 * latencies on a shared machine, so it is what index and statement changes are
 * decided on. For each checkout given (this one, and `--before-dir`'s), a fresh
 * database on the machine's PostgreSQL, migrated by that checkout, with
 * `--conversations` open conversations; then `--messages` visitor messages
 * through that checkout's `appendMessage` (one statement per message, as at
 * low load) and again through `appendMessages` in batches of `--batch` (as
 * group commit sends them under load), round-robin over the conversations.
 *
 * Per message: WAL records and bytes of that database only (pg_walinspect, by
 * relation; its commits added), CPU of its backend (/proc) and of this Node
 * process (the driver parsing what the statement returns).
 *
 *   node --import tsx bench/append-cost.ts [--before-dir DIR] [--messages 20000] [--conversations 2000] [--batch 20] [--rounds 3]
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createTestDatabase } from '../apps/server/src/testing/databases.js';
import { cpuSeconds } from './proc-stats.js';

const { values: args } = parseArgs({
  options: {
    'before-dir': { type: 'string' },
    messages: { type: 'string', default: '20000' },
    conversations: { type: 'string', default: '2000' },
    batch: { type: 'string', default: '20' },
    rounds: { type: 'string', default: '3' },
  },
});
const MESSAGES = Number(args.messages);
const CONVERSATIONS = Number(args.conversations);
const BATCH = Number(args.batch);
const ROUNDS = Number(args.rounds);

/** Each CPU and time figure at its least over the rounds; WAL figures are the same every round. */
function leastOf(a: Cost | undefined, b: Cost): Cost {
  if (!a) return b;
  return {
    ...b,
    backendCpuMs: Math.min(a.backendCpuMs, b.backendCpuMs),
    nodeCpuMs: Math.min(a.nodeCpuMs, b.nodeCpuMs),
    wallMs: Math.min(a.wallMs, b.wallMs),
  };
}

interface AppendProps {
  conversationId: string;
  authorKind: 'visitor';
  authorId: string;
  clientId: string;
  text: string;
}

interface Checkout {
  label: string;
  migrate(pool: pg.Pool): Promise<unknown>;
  appendMessage(pool: pg.Pool, props: AppendProps): Promise<unknown>;
  appendMessages(pool: pg.Pool, batch: AppendProps[]): Promise<unknown>;
}

async function load(label: string, root: string): Promise<Checkout> {
  const from = (path: string) => import(pathToFileURL(join(root, path)).href);
  const { migrate } = await from('apps/server/src/db/migrate.ts');
  const { appendMessage, appendMessages } = await from(
    'apps/server/src/modules/conversations/append-message.ts',
  );
  return { label, migrate, appendMessage, appendMessages };
}

interface Cost {
  walRecords: number;
  walBytes: number;
  backendCpuMs: number;
  nodeCpuMs: number;
  wallMs: number;
  byRelation: string;
}

async function measure(
  stats: pg.Client,
  backendPid: number,
  messages: number,
  run: () => Promise<void>,
): Promise<Cost> {
  // Flushed WAL only can be read; every append committed (and flushed) before it is read.
  const lsn = async () =>
    (await stats.query<{ lsn: string }>('SELECT pg_current_wal_flush_lsn()::text AS lsn')).rows[0]?.lsn;
  const commits = async () =>
    Number(
      (
        await stats.query<{ n: string }>(
          'SELECT pg_stat_get_db_xact_commit(oid) AS n FROM pg_database WHERE datname = current_database()',
        )
      ).rows[0]?.n,
    );
  await stats.query('SELECT pg_stat_clear_snapshot()');
  const fromLsn = await lsn();
  const commitsBefore = await commits();
  const cpuBefore = cpuSeconds(backendPid);
  const nodeBefore = process.cpuUsage();
  const started = performance.now();
  await run();
  const wallMs = performance.now() - started;
  const node = process.cpuUsage(nodeBefore);
  const backendCpuMs = (cpuSeconds(backendPid) - cpuBefore) * 1000;
  const toLsn = await lsn();
  // Backends report their commit counts at most once a second.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  await stats.query('SELECT pg_stat_clear_snapshot()');
  const ownCommits = (await commits()) - commitsBefore;
  const { rows } = await stats.query<{ relation: string; records: string; bytes: string }>(
    `WITH own AS (
       SELECT (regexp_match(block_ref, 'rel \\d+/(\\d+)/(\\d+)'))::oid[] AS rel, record_type, record_length
       FROM pg_get_wal_records_info($1::pg_lsn, $2::pg_lsn)
     )
     SELECT coalesce(c.relname, 'relfilenode ' || own.rel[2]) || ' ' || own.record_type AS relation,
            count(*) AS records, sum(record_length) AS bytes
     FROM own LEFT JOIN pg_class c ON c.relfilenode = own.rel[2]
     WHERE own.rel[1] = (SELECT oid FROM pg_database WHERE datname = current_database())
     GROUP BY 1 ORDER BY 2 DESC`,
    [fromLsn, toLsn],
  );
  const records = rows.reduce((sum, r) => sum + Number(r.records), 0);
  return {
    walRecords: (records + ownCommits) / messages,
    walBytes: rows.reduce((sum, r) => sum + Number(r.bytes), 0) / messages,
    backendCpuMs: backendCpuMs / messages,
    nodeCpuMs: (node.user + node.system) / 1000 / messages,
    wallMs: wallMs / messages,
    byRelation: rows
      .filter((r) => Number(r.records) / messages >= 0.02)
      .map((r) => `${r.relation} ${(Number(r.records) / messages).toFixed(2)}`)
      .join(', '),
  };
}

interface Prepared {
  checkout: Checkout;
  /** One round: MESSAGES alone, then MESSAGES in batches. */
  round(): Promise<{ alone: Cost; batched: Cost }>;
  close(): Promise<void>;
}

/** A fresh database migrated by the checkout, with open conversations and a warmed-up connection. */
async function prepare(checkout: Checkout): Promise<Prepared> {
  const database = await createTestDatabase('parley_append_cost');
  const pool = new pg.Pool({ connectionString: database.url, max: 1, idleTimeoutMillis: 0 });
  const stats = new pg.Client({ connectionString: database.url });
  const close = async () => {
    await stats.end().catch(() => {});
    await pool.end();
    await database.drop();
  };
  try {
    await stats.connect();
    await stats.query('CREATE EXTENSION IF NOT EXISTS pg_walinspect');
    // Other work on the machine writes WAL fast enough to have it recycled before it is read: a temporary
    // slot (gone with this connection) keeps it.
    await stats.query('SELECT pg_create_physical_replication_slot($1, true, true)', [
      `parley_bench_${process.pid}_${Date.now()}`,
    ]);
    await checkout.migrate(pool);
    await pool.query(`INSERT INTO sites (name, public_key) VALUES ('bench', 'bench-key')`);
    await pool.query(`INSERT INTO visitors (site_id) SELECT id FROM sites, generate_series(1, $1::int)`, [
      CONVERSATIONS,
    ]);
    const { rows } = await pool.query<{ id: string; visitor_id: string }>(
      `INSERT INTO conversations (site_id, visitor_id) SELECT site_id, id FROM visitors RETURNING id, visitor_id`,
    );
    await pool.query('ANALYZE');
    const backendPid =
      (await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid ?? 0;
    let n = 0;
    const next = (): AppendProps => {
      const conversation = rows[n % rows.length];
      if (!conversation) throw new Error('no conversations');
      n += 1;
      return {
        conversationId: conversation.id,
        authorKind: 'visitor',
        authorId: conversation.visitor_id,
        clientId: `c-${n}`,
        text: `Message ${n}: where is my order?`,
      };
    };
    // Warm-up: plans, caches, the first page splits.
    for (let i = 0; i < 500; i++) await checkout.appendMessage(pool, next());
    return {
      checkout,
      close,
      async round() {
        const alone = await measure(stats, backendPid, MESSAGES, async () => {
          for (let i = 0; i < MESSAGES; i++) await checkout.appendMessage(pool, next());
        });
        const batched = await measure(stats, backendPid, MESSAGES, async () => {
          // Distinct conversations in one batch, as the appender makes sure of.
          for (let i = 0; i < MESSAGES; i += BATCH)
            await checkout.appendMessages(pool, Array.from({ length: BATCH }, next));
        });
        const stillPid = (await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
        if (stillPid !== backendPid)
          throw new Error('the backend changed during the run: its CPU is unknown');
        return { alone, batched };
      },
    };
  } catch (error) {
    await close();
    throw error;
  }
}

async function main(): Promise<void> {
  const checkouts = [await load('this checkout', join(import.meta.dirname, '..'))];
  if (args['before-dir']) checkouts.unshift(await load(`before (${args['before-dir']})`, args['before-dir']));
  console.log(
    `${MESSAGES} messages over ${CONVERSATIONS} open conversations; batches of ${BATCH}; ${ROUNDS} rounds, ` +
      'the checkouts taking turns; per message (CPU and time: the least of the rounds):',
  );
  const prepared: Prepared[] = [];
  try {
    for (const checkout of checkouts) prepared.push(await prepare(checkout));
    // CPU time on a shared machine varies with what else runs: the checkouts take turns, round by round,
    // so both see the same spells of load, and the least of each one's rounds is its figure.
    const results = prepared.map(() => ({
      alone: undefined as Cost | undefined,
      batched: undefined as Cost | undefined,
    }));
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, p] of prepared.entries()) {
        const { alone, batched } = await p.round();
        const result = results[i];
        if (!result) continue;
        result.alone = leastOf(result.alone, alone);
        result.batched = leastOf(result.batched, batched);
      }
    }
    for (const [i, p] of prepared.entries()) {
      const result = results[i];
      for (const [mode, cost] of [
        ['alone', result?.alone],
        [`batch ${BATCH}`, result?.batched],
      ] as const) {
        if (!cost) continue;
        console.log(
          `${p.checkout.label}, ${mode}: ${cost.walRecords.toFixed(2)} WAL records, ${Math.round(cost.walBytes)} bytes, ` +
            `backend CPU ${cost.backendCpuMs.toFixed(3)} ms, Node CPU ${cost.nodeCpuMs.toFixed(3)} ms, ` +
            `wall ${cost.wallMs.toFixed(3)} ms\n    ${cost.byRelation}`,
        );
      }
    }
  } finally {
    for (const p of prepared) await p.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
