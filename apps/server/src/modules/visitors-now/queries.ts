/**
 * Reads of "visitors now": who is on a site at this moment, as `VisitorNowDTO` rows, in one
 * statement (the visitor, their current visit, that visit's latest page and their open
 * conversation, each a LATERAL lookup on an index). "On the site" means an item from them within
 * `TRACKING_LIMITS.onlineSeconds` (visitors.last_seen_at, indexed with the site) and their last
 * page not left.
 */
import { TRACKING_LIMITS, VISITORS_NOW_LIMITS, type VisitorNowDTO } from '@parley/protocol';
import { sql } from 'kysely';
import type { Queryable } from '../../db/database.js';
import { presentVisitorNow, type VisitorNowRow } from './presenter.js';
import { hasUnseenOperatorMessages } from './unseen.js';

/**
 * Which rows: everyone on the site now (the list), or one visitor by id (their row after a change,
 * online or not).
 *
 * One visitor is found by `v.id = $1` alone, with no ORDER BY and no site condition (the row's
 * site is checked after). The tracking pool runs this as a prepared statement, and PostgreSQL may
 * keep one generic plan, made while the tables were small and kept as they grow (only ANALYZE makes
 * it plan again, and with autovacuum off that never comes). With `site_id = $1` beside the id, such
 * a plan read the site's index entry of every visitor (visitors_site, filter on id): 3.9 ms at
 * 30,000 visitors and growing, after every tracking batch (tracking/generic-plans.test.ts).
 */
type Rows = { siteId: string } | { visitorId: string };

function visitorsNowRows(db: Queryable, rows: Rows, withUnseen = false) {
  const which =
    'visitorId' in rows
      ? sql`WHERE v.id = ${rows.visitorId}`
      : sql`WHERE v.site_id = ${rows.siteId}
          AND v.last_seen_at > now() - make_interval(secs => ${TRACKING_LIMITS.onlineSeconds})
          AND pv.seconds IS NULL
        ORDER BY v.last_seen_at DESC
        LIMIT ${VISITORS_NOW_LIMITS.maxRows}`;
  return sql<VisitorNowRow>`
    SELECT v.id, v.site_id, v.name, v.email, v.first_seen_at, v.last_seen_at, v.visit_count,
      v.current_url, v.current_title, v.cart_amount, v.cart_currency,
      COALESCE(vi.country, v.country) AS country, COALESCE(vi.region, v.region) AS region,
      COALESCE(vi.city, v.city) AS city, COALESCE(vi.browser, v.browser) AS browser,
      COALESCE(vi.os, v.os) AS os, COALESCE(vi.device, v.device) AS device,
      vi.started_at AS visit_started_at, vi.page_view_count, vi.landing_url, vi.referrer AS visit_referrer,
      vi.source_kind, vi.source_name, vi.utm_source, vi.utm_medium, vi.utm_campaign, vi.utm_term,
      vi.utm_content, vi.gclid, vi.yclid, vi.search_query,
      pv.url AS page_url, pv.title AS page_title,
      -- A "leave" item closes the page it names (its seconds become known); a later page opens anew.
      (pv.seconds IS NOT NULL) AS left_page,
      c.id AS conversation_id
      ${withUnseen ? sql`, ${hasUnseenOperatorMessages(sql`v.id`)} AS unseen` : sql``}
    FROM visitors v
    LEFT JOIN LATERAL (
      SELECT * FROM visits WHERE visits.visitor_id = v.id ORDER BY started_at DESC LIMIT 1
    ) vi ON true
    LEFT JOIN LATERAL (
      SELECT url, title, seconds FROM page_views
      WHERE page_views.visit_id = vi.id ORDER BY viewed_at DESC, id DESC LIMIT 1
    ) pv ON true
    LEFT JOIN LATERAL (
      SELECT id FROM conversations WHERE conversations.visitor_id = v.id AND status = 'open' LIMIT 1
    ) c ON true
    ${which}`.execute(db);
}

/** One visitor's row, if they are a visitor of `siteId`. */
async function oneVisitorNowRow<Row extends VisitorNowRow>(
  db: Queryable,
  siteId: string,
  visitorId: string,
  withUnseen: boolean,
): Promise<Row | undefined> {
  const { rows } = await visitorsNowRows(db, { visitorId }, withUnseen);
  const row = rows[0] as Row | undefined;
  return row?.site_id === siteId ? row : undefined;
}

/** Everyone on the site now, most recently active first. */
export async function listVisitorsNow(db: Queryable, siteId: string): Promise<VisitorNowDTO[]> {
  const { rows } = await visitorsNowRows(db, { siteId });
  return rows.map(presentVisitorNow);
}

/** One visitor's row as it is now (after a change: a chat started), whether online or not. */
export async function getVisitorNow(
  db: Queryable,
  siteId: string,
  visitorId: string,
): Promise<VisitorNowDTO | undefined> {
  const row = await oneVisitorNowRow(db, siteId, visitorId, false);
  return row && presentVisitorNow(row);
}

/**
 * One visitor's row and whether they have operator messages unseen, in one statement: what the
 * tracking ingest needs after every batch (the row for "visitors now", `unseen` for the loader).
 */
export async function getVisitorNowWithUnseen(
  db: Queryable,
  siteId: string,
  visitorId: string,
): Promise<{ now: VisitorNowDTO; unseen: boolean } | undefined> {
  const row = await oneVisitorNowRow<VisitorNowRow & { unseen: boolean }>(db, siteId, visitorId, true);
  return row && { now: presentVisitorNow(row), unseen: row.unseen };
}
