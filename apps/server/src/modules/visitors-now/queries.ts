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

interface Filter {
  /**
   * Only this visitor (their row after a change), online or not. One id compared with `=`, never a
   * list: the tracking pool runs this as a prepared statement, and PostgreSQL's generic plan for
   * `id = ANY($2)` read every visitor of the site through its site index (0.8 ms at 10,000 visitors,
   * growing with the site); `id = $2` is always the primary key.
   */
  visitorId?: string;
  /** Add `unseen`: whether the visitor has operator messages they have not seen (unseen.ts). */
  withUnseen?: boolean;
}

function visitorsNowRows(db: Queryable, siteId: string, filter: Filter) {
  const online = filter.visitorId
    ? sql`v.id = ${filter.visitorId}`
    : sql`v.last_seen_at > now() - make_interval(secs => ${TRACKING_LIMITS.onlineSeconds})
        AND pv.seconds IS NULL`;
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
      ${filter.withUnseen ? sql`, ${hasUnseenOperatorMessages(sql`v.id`)} AS unseen` : sql``}
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
    WHERE v.site_id = ${siteId} AND ${online}
    ORDER BY v.last_seen_at DESC
    LIMIT ${VISITORS_NOW_LIMITS.maxRows}`.execute(db);
}

/** Everyone on the site now, most recently active first. */
export async function listVisitorsNow(db: Queryable, siteId: string): Promise<VisitorNowDTO[]> {
  const { rows } = await visitorsNowRows(db, siteId, {});
  return rows.map(presentVisitorNow);
}

/** One visitor's row as it is now (after a change: a chat started), whether online or not. */
export async function getVisitorNow(
  db: Queryable,
  siteId: string,
  visitorId: string,
): Promise<VisitorNowDTO | undefined> {
  const { rows } = await visitorsNowRows(db, siteId, { visitorId });
  return rows[0] && presentVisitorNow(rows[0]);
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
  const { rows } = await visitorsNowRows(db, siteId, { visitorId, withUnseen: true });
  const row = rows[0] as (VisitorNowRow & { unseen: boolean }) | undefined;
  return row && { now: presentVisitorNow(row), unseen: row.unseen };
}
