/**
 * The tracking ingest reads one visitor's "visitors now" row after every batch, on a pool that runs
 * its statements as named prepared statements. PostgreSQL may then plan a statement once for any
 * parameters (a generic plan) and keep that plan while the tables grow: only ANALYZE or a change of
 * schema makes it plan again, and with autovacuum off (as on this machine's PostgreSQL) that never
 * comes. A plan made while the site had a few hundred visitors must still read one visitor's row,
 * not walk the site's index of every visitor, once the site has tens of thousands: so for every
 * statement of a tracking batch.
 */
import type { TrackItem } from '@parley/protocol';
import type { CompiledQuery } from 'kysely';
import type pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/database.js';
import { captureQueries, openDemoDatabase, type PlanNode, sqlLiteral } from '../../testing/query-plans.js';
import { getVisitorNowWithUnseen } from '../visitors-now/queries.js';
import { trackBatchRecorder } from './commands.js';

const SMALL_SITE = 300;
const GROWN_SITE = 30_000;

let database: Awaited<ReturnType<typeof openDemoDatabase>> | undefined;
let handle: DatabaseHandle;
let siteId = '';

beforeAll(async () => {
  database = await openDemoDatabase();
  handle = database.handle;
  siteId = database.demoSiteId;
});

afterAll(async () => {
  await database?.close();
});

/** Visitors of the site, each with a visit and a page, as tracking writes them. */
async function addVisitors(pool: pg.Pool, count: number): Promise<void> {
  await pool.query(
    `WITH v AS (
       INSERT INTO visitors (site_id, visit_count, last_seen_at)
       SELECT $1, 1, now() - make_interval(secs => g) FROM generate_series(1, $2::int) AS g
       RETURNING id, site_id),
     vi AS (
       INSERT INTO visits (site_id, visitor_id, number, started_at, last_activity_at, source_kind, page_view_count)
       SELECT site_id, id, 1, now(), now(), 'direct', 1 FROM v RETURNING id, visitor_id, site_id)
     INSERT INTO page_views (site_id, visitor_id, visit_id, client_id, url, title, viewed_at)
     SELECT site_id, visitor_id, id, 'p1', 'https://shop.example/', 'Shop', now() FROM vi`,
    [siteId, count],
  );
}

/** Rows and index entries of visitors the plan read. */
function visitorsRead(node: PlanNode): number {
  const own =
    node['Relation Name'] === 'visitors' || node['Index Name']?.startsWith('visitors_')
      ? ((node['Actual Rows'] ?? 0) + (node['Rows Removed by Filter'] ?? 0)) * (node['Actual Loops'] ?? 1)
      : 0;
  return own + (node.Plans ?? []).reduce((sum, child) => sum + visitorsRead(child), 0);
}

/** Each statement prepared as a generic plan while the site is small, then run after it grew. */
async function rowsReadAfterGrowth(queries: CompiledQuery[]): Promise<{ sql: string; read: number }[]> {
  const client = await handle.pool.connect();
  try {
    await client.query('SET plan_cache_mode = force_generic_plan');
    const literals = (query: CompiledQuery) =>
      query.parameters.map((value) => sqlLiteral(client, value)).join(', ');
    const call = (index: number, query: CompiledQuery) =>
      `EXECUTE statement_${index}${query.parameters.length ? `(${literals(query)})` : ''}`;
    // Planned now, on the small site (in a transaction rolled back: the writes among them change nothing).
    await client.query('BEGIN');
    for (const [index, query] of queries.entries()) {
      await client.query(`PREPARE statement_${index} AS ${query.sql}`);
      await client.query(call(index, query));
    }
    await client.query('ROLLBACK');
    await addVisitors(handle.pool, GROWN_SITE);
    await client.query('BEGIN');
    const read: { sql: string; read: number }[] = [];
    for (const [index, query] of queries.entries()) {
      const explained = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
        `EXPLAIN (ANALYZE, FORMAT JSON) ${call(index, query)}`,
      );
      read.push({
        sql: query.sql.slice(0, 100),
        read: visitorsRead(explained.rows[0]?.['QUERY PLAN'][0].Plan as PlanNode),
      });
    }
    await client.query('ROLLBACK');
    return read;
  } finally {
    await client.query('ROLLBACK; DEALLOCATE ALL').catch(() => undefined);
    client.release();
  }
}

it(`reads one visitor's rows in every statement of a tracking batch, with plans made at ${SMALL_SITE} visitors, after the site grew to ${GROWN_SITE.toLocaleString('en')}`, async () => {
  await addVisitors(handle.pool, SMALL_SITE);
  const { rows } = await handle.pool.query<{ id: string }>(
    'SELECT id FROM visitors WHERE site_id = $1 ORDER BY last_seen_at LIMIT 1',
    [siteId],
  );
  const visitorId = rows[0]?.id ?? '';
  const page = (id: string): TrackItem => ({
    t: 'page',
    id,
    ago: 0,
    url: `https://shop.example/${id}`,
    title: id,
  });
  // A batch of a known visitor (the common one: a page, its leave, an event), then their row.
  const queries = await captureQueries(handle.pool, async (db) => {
    await trackBatchRecorder(db, {
      site: { id: siteId },
      knownVisitor: { id: visitorId, tokenGeneration: 0 },
      admitNew: async () => undefined,
      items: [
        page('boots'),
        { t: 'leave', id: 'l1', ago: 0, pageId: 'p1', seconds: 12 },
        { t: 'event', id: 'e1', ago: 0, name: 'add_to_cart', props: { amount: 10 } },
      ],
      userAgent: null,
      language: null,
      location: { country: null, region: null, city: null },
      emailCapture: true,
    });
    await trackBatchRecorder(db, {
      site: { id: siteId },
      knownVisitor: { id: visitorId, tokenGeneration: 0 },
      admitNew: async () => undefined,
      items: [{ t: 'ping', id: 'ping1', ago: 0 }],
      userAgent: null,
      language: null,
      location: { country: null, region: null, city: null },
      emailCapture: true,
    });
    await getVisitorNowWithUnseen(db, siteId, visitorId);
  });
  const statements = queries.filter((q) => !/^(begin|commit|rollback)/i.test(q.sql.trim()));
  expect(statements.length).toBeGreaterThan(5);
  const read = await rowsReadAfterGrowth(statements);
  expect(read.filter((r) => r.read > 5)).toEqual([]);
}, 120_000);
