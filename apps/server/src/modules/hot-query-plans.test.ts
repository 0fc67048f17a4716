/**
 * Every read on a hot path, run at scale: a site with 50,000 conversations
 * (37,500 of them open and unassigned, as visitors who wrote and left leave
 * them), 50,000 messages and one conversation of 2,000 messages, seeded
 * with set-based SQL in a few seconds. Each query is the real query function's
 * SQL, captured as it runs, then measured with EXPLAIN ANALYZE: none may read
 * conversations or messages sequentially, or visit more than a few hundred
 * of their rows — a count or a page must not cost the size of the table.
 *
 * The tracking path's reads run as named prepared statements (its own pool), so PostgreSQL may
 * plan them once for any parameters (a generic plan): those are measured under a forced generic
 * plan too, where a list parameter (`id = ANY($1)`) once made "one visitor's row" read every
 * visitor of the site.
 */

import type { CompiledQuery } from 'kysely';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle, Db } from '../db/database.js';
import { captureQueries, openDemoDatabase, type PlanNode, sqlLiteral } from '../testing/query-plans.js';
import {
  findConversation,
  findMessageByClientId,
  findOpenConversationOfVisitor,
  listConversations,
  listConversationsOfVisitor,
  listMessages,
  listVisitorHistory,
  listVisitorMessages,
} from './conversations/queries.js';
import { listOperatorsOfSite } from './operators/queries.js';
import { getVisitorNow, getVisitorNowWithUnseen } from './visitors-now/queries.js';

const CONVERSATIONS = 50_000;
const BIG_CONVERSATION_MESSAGES = 2_000;
/** Rows of conversations/messages one hot query may visit (pages are 50–200 rows, plus their probes). */
const MAX_ROWS_VISITED = 1_000;
const WATCHED_TABLES = new Set(['conversations', 'messages', 'visitors']);

let database: Awaited<ReturnType<typeof openDemoDatabase>> | undefined;
let handle: DatabaseHandle;
const seeded = { siteId: '', operatorId: '', visitorId: '', bigConversationId: '', clientId: 'hot-7' };

beforeAll(async () => {
  database = await openDemoDatabase();
  handle = database.handle;
  seeded.siteId = database.demoSiteId;
  await seed(handle.pool);
});

afterAll(async () => {
  await database?.close();
});

async function seed(pool: pg.Pool): Promise<void> {
  const { siteId } = seeded;
  const operator = await pool.query<{ id: string }>('SELECT id FROM operators LIMIT 1');
  seeded.operatorId = operator.rows[0]?.id ?? '';
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO visitors (site_id, first_seen_at, last_seen_at)
       SELECT $1, now() - make_interval(secs => g), now() - make_interval(secs => g)
       FROM generate_series(1, $2::int) AS g`,
      [siteId, CONVERSATIONS],
    );
    // ¾ open; of those, 40 assigned to the operator; one in twenty an offline request.
    await client.query(
      `INSERT INTO conversations (site_id, visitor_id, status, channel, assignee_id, last_seq, last_public_seq,
         last_message_visibility, last_message_text, last_message_author_kind, last_message_at, last_activity_at, created_at, closed_at)
       SELECT $1, v.id,
              CASE WHEN v.n % 4 = 0 THEN 'closed' ELSE 'open' END,
              CASE WHEN v.n % 20 = 0 THEN 'offline_request' ELSE 'chat' END,
              CASE WHEN v.n % 4 <> 0 AND v.n <= 160 THEN $2::uuid END,
              1, 1, 'public', 'Hello ' || v.n, 'visitor', v.at, v.at, v.at,
              CASE WHEN v.n % 4 = 0 THEN v.at END
       FROM (SELECT id, first_seen_at AS at, row_number() OVER () AS n
             FROM visitors WHERE site_id = $1) AS v`,
      [siteId, seeded.operatorId],
    );
    await client.query(
      `INSERT INTO messages (conversation_id, seq, public_seq, author_kind, author_id, client_id, text, created_at)
       SELECT id, 1, 1, 'visitor', visitor_id, 'hot-' || row_number() OVER (), last_message_text, created_at
       FROM conversations`,
    );
    // The newest visitor: an open conversation of many messages, with two closed ones before it.
    const big = await client.query<{ id: string; visitor_id: string }>(
      `SELECT id, visitor_id FROM conversations WHERE status = 'open' ORDER BY last_activity_at DESC LIMIT 1`,
    );
    seeded.bigConversationId = big.rows[0]?.id ?? '';
    seeded.visitorId = big.rows[0]?.visitor_id ?? '';
    await client.query(
      `INSERT INTO messages (conversation_id, seq, public_seq, author_kind, author_id, text)
       SELECT $1, s, s, 'operator', $2, 'Answer ' || s FROM generate_series(2, $3::int) AS s`,
      [seeded.bigConversationId, seeded.operatorId, BIG_CONVERSATION_MESSAGES],
    );
    await client.query(
      `UPDATE conversations SET last_seq = $2, last_public_seq = $2, last_message_author_kind = 'operator'
       WHERE id = $1`,
      [seeded.bigConversationId, BIG_CONVERSATION_MESSAGES],
    );
    await client.query('COMMIT');
  } finally {
    client.release();
  }
  const bigClientId = await pool.query<{ client_id: string }>(
    'SELECT client_id FROM messages WHERE conversation_id = $1 AND seq = 1',
    [seeded.bigConversationId],
  );
  seeded.clientId = bigClientId.rows[0]?.client_id ?? '';
  await pool.query('ANALYZE visitors, conversations, messages');
}

/** The table and its indexes as if never analyzed nor vacuumed: no statistics, no sizes (superuser, test only). */
async function forgetStatistics(table: string): Promise<void> {
  await handle.pool.query('DELETE FROM pg_statistic WHERE starelid = $1::regclass', [table]);
  await handle.pool.query('UPDATE pg_class SET reltuples = -1, relpages = 0 WHERE oid = $1::regclass', [
    table,
  ]);
}

let indexTablesRead: Promise<Map<string, string>> | undefined;
/** Each index of the schema with its table. */
function indexTables(): Promise<Map<string, string>> {
  indexTablesRead ??= handle.pool
    .query<{ indexname: string; tablename: string }>(
      "SELECT indexname, tablename FROM pg_indexes WHERE schemaname = 'public'",
    )
    .then(({ rows }) => new Map(rows.map((row) => [row.indexname, row.tablename])));
  return indexTablesRead;
}

/**
 * Sequential scans of the watched tables, and how many of their rows the plan visited. `generic`:
 * planned as a prepared statement planned once for any parameters (`plan_cache_mode`).
 */
async function measure(query: CompiledQuery, generic = false) {
  const client = await handle.pool.connect();
  let result: pg.QueryResult<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>;
  try {
    if (!generic) {
      result = await client.query(
        `EXPLAIN (ANALYZE, FORMAT JSON) ${query.sql}`,
        query.parameters as unknown[],
      );
    } else {
      await client.query('SET plan_cache_mode = force_generic_plan');
      await client.query(`PREPARE hot_query AS ${query.sql}`);
      // EXECUTE takes its parameters as literals (a utility statement binds none).
      const parameters = query.parameters.map((value) => sqlLiteral(client, value)).join(', ');
      result = await client.query(
        `EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE hot_query${parameters ? `(${parameters})` : ''}`,
      );
    }
  } finally {
    if (generic) await client.query('DEALLOCATE ALL; RESET plan_cache_mode').catch(() => undefined);
    client.release();
  }
  const sequential: string[] = [];
  let visited = 0;
  const tableOfIndex = await indexTables();
  const walk = (node: PlanNode) => {
    const table =
      node['Relation Name'] ??
      (node['Node Type'] === 'Bitmap Index Scan' ? tableOfIndex.get(node['Index Name'] ?? '') : undefined);
    if (table && WATCHED_TABLES.has(table)) {
      if (node['Node Type'] === 'Seq Scan') sequential.push(table);
      const perLoop =
        (node['Actual Rows'] ?? 0) +
        (node['Rows Removed by Filter'] ?? 0) +
        (node['Rows Removed by Index Recheck'] ?? 0);
      visited += perLoop * (node['Actual Loops'] ?? 1);
    }
    for (const child of node.Plans ?? []) walk(child);
  };
  walk(result.rows[0]?.['QUERY PLAN'][0].Plan as PlanNode);
  return { sequential, visited };
}

const hotQueries: Record<string, (db: Db) => Promise<unknown>> = {
  'listOperatorsOfSite (presence, widget session start)': (db) => listOperatorsOfSite(db, seeded.siteId),
  'listConversations open (inbox)': (db) =>
    listConversations(db, { siteIds: [seeded.siteId], status: 'open', limit: 50 }),
  'listConversations open, second page': async (db) => {
    const first = await listConversations(db, { siteIds: [seeded.siteId], status: 'open', limit: 50 });
    return listConversations(db, {
      siteIds: [seeded.siteId],
      status: 'open',
      limit: 50,
      cursor: first.nextCursor ?? undefined,
    });
  },
  'listConversations closed': (db) =>
    listConversations(db, { siteIds: [seeded.siteId], status: 'closed', limit: 50 }),
  'listConversations requests': (db) =>
    listConversations(db, { siteIds: [seeded.siteId], channel: 'offline_request', limit: 50 }),
  findConversation: (db) => findConversation(db, seeded.bigConversationId),
  'findOpenConversationOfVisitor (first message)': (db) =>
    findOpenConversationOfVisitor(db, seeded.visitorId),
  listConversationsOfVisitor: (db) => listConversationsOfVisitor(db, seeded.visitorId),
  'findMessageByClientId (retry)': (db) => findMessageByClientId(db, seeded.visitorId, seeded.clientId),
  'listMessages latest (conversation view)': (db) =>
    listMessages(db, seeded.bigConversationId, { limit: 200 }),
  'listMessages afterSeq (resync)': (db) =>
    listMessages(db, seeded.bigConversationId, { afterSeq: 1_900, limit: 200 }),
  'listVisitorMessages afterSeq (visitor resync)': (db) =>
    listVisitorMessages(db, seeded.bigConversationId, { afterSeq: 1_900, limit: 200 }),
  'listMessages beforeSeq (scroll back)': (db) =>
    listMessages(db, seeded.bigConversationId, { beforeSeq: 500, limit: 50 }),
};

/** The tracking ingest's reads after every batch (tracking pool, prepared statements): one visitor's rows. */
const trackingQueries: Record<string, (db: Db) => Promise<unknown>> = {
  'getVisitorNowWithUnseen (after every tracking batch)': (db) =>
    getVisitorNowWithUnseen(db, seeded.siteId, seeded.visitorId),
  'getVisitorNow (a chat started from visitors now)': (db) =>
    getVisitorNow(db, seeded.siteId, seeded.visitorId),
};

/** Reads whose cost is bounded by one visitor's own rows rather than a page: allowed that many. */
const perVisitorQueries: Record<string, (db: Db) => Promise<unknown>> = {
  'listVisitorHistory (widget session start)': (db) => listVisitorHistory(db, seeded.visitorId, 200),
};

async function expectIndexedWithin(
  run: (db: Db) => Promise<unknown>,
  maxRowsVisited: number,
  generic = false,
) {
  const queries = await captureQueries(handle.pool, run);
  expect(queries.length).toBeGreaterThan(0);
  for (const query of queries) {
    const { sequential, visited } = await measure(query, generic);
    const sql = query.sql.slice(0, 120);
    expect({ sql, sequential }).toEqual({ sql, sequential: [] });
    expect(visited, sql).toBeLessThanOrEqual(maxRowsVisited);
  }
}

describe(`hot queries at ${CONVERSATIONS.toLocaleString('en')} conversations`, () => {
  for (const [name, run] of Object.entries(hotQueries)) {
    it(`${name}: no sequential scan, at most ${MAX_ROWS_VISITED} rows visited`, () =>
      expectIndexedWithin(run, MAX_ROWS_VISITED));
  }
  for (const [name, run] of Object.entries(trackingQueries)) {
    it(`${name}: no sequential scan, at most ${MAX_ROWS_VISITED} rows visited, with a generic plan too`, async () => {
      await expectIndexedWithin(run, MAX_ROWS_VISITED);
      // Generic, and as on a database whose visitors were never analyzed (a new installation, or
      // autovacuum off as on this machine's PostgreSQL): where a planner's guess does the most harm.
      await forgetStatistics('visitors');
      try {
        await expectIndexedWithin(run, MAX_ROWS_VISITED, true);
      } finally {
        await handle.pool.query('ANALYZE visitors');
      }
    });
  }
  for (const [name, run] of Object.entries(perVisitorQueries)) {
    it(`${name}: no sequential scan, at most the visitor's own messages visited`, () =>
      expectIndexedWithin(run, BIG_CONVERSATION_MESSAGES + 10));
  }
});
