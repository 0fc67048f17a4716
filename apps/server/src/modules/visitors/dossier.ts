/**
 * The visitor's dossier: the profile with its touch points, a page of visits (newest first) with
 * their pages and events, every conversation, and the segments the visitor is in now. Four reads
 * beside the visitor row, each bounded: visits by `DOSSIER_LIMITS.visits`, pages and events per
 * visit by theirs (the latest kept), conversations by the conversation query's own cap.
 */
import {
  DOSSIER_LIMITS,
  type PageViewDTO,
  type TrackPropertyValue,
  type VisitDTO,
  type VisitorDossier,
  type VisitorEventDTO,
} from '@parley/protocol';
import { sql } from 'kysely';
import type { Queryable } from '../../db/database.js';
import type { VisitorRow, VisitRow } from '../../db/schema.js';
import { listConversationsOfVisitor } from '../conversations/queries.js';
import { presentSegment } from '../segments/presenter.js';
import { findSegmentMembership, listSiteSegments } from '../segments/queries.js';
import { presentConversationsWithTags } from '../tags/conversations-with-tags.js';
import { presentVisitorProfile } from './presenter.js';

/** A page of the visitor's visits, newest first; `beforeVisit` continues below that visit number. */
export async function listVisitsOfVisitor(
  db: Queryable,
  visitorId: string,
  options: { beforeVisit?: number; limit?: number } = {},
): Promise<{ rows: VisitRow[]; hasMore: boolean }> {
  const limit = options.limit ?? DOSSIER_LIMITS.visits;
  let query = db.selectFrom('visits').selectAll().where('visitor_id', '=', visitorId);
  if (options.beforeVisit) query = query.where('number', '<', options.beforeVisit);
  const rows = await query
    .orderBy('started_at', 'desc')
    .orderBy('number', 'desc')
    .limit(limit + 1)
    .execute();
  return { rows: rows.slice(0, limit), hasMore: rows.length > limit };
}

/** The latest pages of each visit (at most `DOSSIER_LIMITS.pagesPerVisit`), in the order seen. */
async function pagesOfVisits(db: Queryable, visitIds: string[]): Promise<Map<string, PageViewDTO[]>> {
  const byVisit = new Map<string, PageViewDTO[]>();
  if (visitIds.length === 0) return byVisit;
  const { rows } = await sql<{
    id: string;
    visit_id: string;
    url: string;
    title: string | null;
    viewed_at: Date;
    seconds: number | null;
  }>`SELECT id, visit_id, url, title, viewed_at, seconds FROM (
       SELECT p.*, row_number() OVER (PARTITION BY visit_id ORDER BY viewed_at DESC, id DESC) AS n
       FROM page_views p WHERE visit_id = ANY(${visitIds}::uuid[])
     ) latest WHERE n <= ${DOSSIER_LIMITS.pagesPerVisit} ORDER BY viewed_at, id`.execute(db);
  for (const row of rows) {
    const pages = byVisit.get(row.visit_id) ?? [];
    pages.push({
      id: String(row.id),
      url: row.url,
      title: row.title,
      viewedAt: row.viewed_at.toISOString(),
      seconds: row.seconds,
    });
    byVisit.set(row.visit_id, pages);
  }
  return byVisit;
}

/** The latest events of each visit (at most `DOSSIER_LIMITS.eventsPerVisit`), in the order they happened. */
async function eventsOfVisits(db: Queryable, visitIds: string[]): Promise<Map<string, VisitorEventDTO[]>> {
  const byVisit = new Map<string, VisitorEventDTO[]>();
  if (visitIds.length === 0) return byVisit;
  const { rows } = await sql<{
    id: string;
    visit_id: string;
    name: string;
    properties: Record<string, TrackPropertyValue>;
    occurred_at: Date;
  }>`SELECT id, visit_id, name, properties, occurred_at FROM (
       SELECT e.*, row_number() OVER (PARTITION BY visit_id ORDER BY occurred_at DESC, id DESC) AS n
       FROM visitor_events e WHERE visit_id = ANY(${visitIds}::uuid[])
     ) latest WHERE n <= ${DOSSIER_LIMITS.eventsPerVisit} ORDER BY occurred_at, id`.execute(db);
  for (const row of rows) {
    const events = byVisit.get(row.visit_id) ?? [];
    events.push({
      id: String(row.id),
      name: row.name,
      properties: row.properties,
      occurredAt: row.occurred_at.toISOString(),
    });
    byVisit.set(row.visit_id, events);
  }
  return byVisit;
}

export function presentVisit(row: VisitRow, pages: PageViewDTO[], events: VisitorEventDTO[]): VisitDTO {
  const utm = {
    ...(row.utm_source && { source: row.utm_source }),
    ...(row.utm_medium && { medium: row.utm_medium }),
    ...(row.utm_campaign && { campaign: row.utm_campaign }),
    ...(row.utm_term && { term: row.utm_term }),
    ...(row.utm_content && { content: row.utm_content }),
  };
  return {
    id: row.id,
    number: row.number,
    startedAt: row.started_at.toISOString(),
    lastActivityAt: row.last_activity_at.toISOString(),
    source: {
      kind: row.source_kind,
      name: row.source_name,
      referrer: row.referrer,
      landingUrl: row.landing_url,
      utm: Object.keys(utm).length > 0 ? utm : null,
      searchQuery: row.search_query,
      ...(row.gclid && { gclid: row.gclid }),
      ...(row.yclid && { yclid: row.yclid }),
      at: row.started_at.toISOString(),
    },
    pageViewCount: row.page_view_count,
    country: row.country,
    region: row.region,
    city: row.city,
    browser: row.browser,
    os: row.os,
    device: row.device,
    pages,
    events,
  };
}

/** Everything known about `visitor` (already authorized), with a page of visits. */
export async function getVisitorDossier(
  db: Queryable,
  visitor: VisitorRow,
  options: { beforeVisit?: number } = {},
): Promise<VisitorDossier> {
  const [visits, conversations, segments, membership] = await Promise.all([
    listVisitsOfVisitor(db, visitor.id, options),
    listConversationsOfVisitor(db, visitor.id),
    listSiteSegments(db, visitor.site_id),
    findSegmentMembership(db, visitor.site_id, [visitor.id]),
  ]);
  const visitIds = visits.rows.map((v) => v.id);
  const [pages, events, presented] = await Promise.all([
    pagesOfVisits(db, visitIds),
    eventsOfVisits(db, visitIds),
    presentConversationsWithTags(db, conversations),
  ]);
  const inSegments = new Set(membership.get(visitor.id) ?? []);
  return {
    visitor: presentVisitorProfile(visitor),
    visits: visits.rows.map((v) => presentVisit(v, pages.get(v.id) ?? [], events.get(v.id) ?? [])),
    hasEarlierVisits: visits.hasMore,
    conversations: presented,
    segments: segments.filter((s) => inSegments.has(s.id)).map(presentSegment),
  };
}
