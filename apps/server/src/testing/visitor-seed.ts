/**
 * Visitors with a history, written straight into the tables tracking fills (017: visits,
 * page_views, visitor_events, the visitor's touch columns), for tests of what reads them — the
 * dossier, segments — without going through the loader.
 */
import { randomUUID } from 'node:crypto';
import type { SourceKind, TouchDTO } from '@parley/protocol';
import type { Db } from '../db/database.js';

const DAY = 24 * 3600 * 1000;
export const daysAgo = (days: number, now = new Date()) => new Date(now.getTime() - days * DAY);

export interface SeedVisitor {
  name?: string | null;
  email?: string | null;
  country?: string | null;
  city?: string | null;
  region?: string | null;
  attributes?: Record<string, unknown>;
  visitCount?: number;
  firstTouch?: TouchDTO | null;
  lastTouch?: TouchDTO | null;
  referrer?: string | null;
}

export async function seedVisitor(db: Db, siteId: string, props: SeedVisitor = {}): Promise<string> {
  const row = await db
    .insertInto('visitors')
    .values({
      site_id: siteId,
      name: props.name ?? null,
      email: props.email ?? null,
      email_source: props.email ? 'identify' : null,
      country: props.country ?? null,
      city: props.city ?? null,
      region: props.region ?? null,
      attributes: JSON.stringify(props.attributes ?? {}),
      visit_count: props.visitCount ?? 0,
      first_touch: props.firstTouch ? JSON.stringify(props.firstTouch) : null,
      last_touch: props.lastTouch ? JSON.stringify(props.lastTouch) : null,
      referrer: props.referrer ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface SeedVisit {
  number: number;
  startedAt: Date;
  sourceKind?: SourceKind;
  sourceName?: string | null;
  referrer?: string | null;
  landingUrl?: string | null;
  utm?: { source?: string; medium?: string; campaign?: string; term?: string };
  searchQuery?: string | null;
  /** Pages seen, a minute apart from `startedAt`. */
  pages?: { url: string; title?: string; seconds?: number | null }[];
  events?: { name: string; properties?: Record<string, unknown>; minutesIn?: number }[];
}

export async function seedVisit(
  db: Db,
  siteId: string,
  visitorId: string,
  visit: SeedVisit,
): Promise<string> {
  const pages = visit.pages ?? [];
  const last = new Date(visit.startedAt.getTime() + Math.max(pages.length, 1) * 60_000);
  const row = await db
    .insertInto('visits')
    .values({
      site_id: siteId,
      visitor_id: visitorId,
      number: visit.number,
      started_at: visit.startedAt,
      last_activity_at: last,
      landing_url: visit.landingUrl ?? pages[0]?.url ?? null,
      referrer: visit.referrer ?? null,
      source_kind: visit.sourceKind ?? 'direct',
      source_name: visit.sourceName ?? null,
      utm_source: visit.utm?.source ?? null,
      utm_medium: visit.utm?.medium ?? null,
      utm_campaign: visit.utm?.campaign ?? null,
      utm_term: visit.utm?.term ?? null,
      search_query: visit.searchQuery ?? null,
      page_view_count: pages.length,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (pages.length > 0)
    await db
      .insertInto('page_views')
      .values(
        pages.map((page, i) => ({
          site_id: siteId,
          visitor_id: visitorId,
          visit_id: row.id,
          client_id: randomUUID(),
          url: page.url,
          title: page.title ?? null,
          viewed_at: new Date(visit.startedAt.getTime() + i * 60_000),
          seconds: page.seconds === undefined ? 60 : page.seconds,
        })),
      )
      .execute();
  const events = visit.events ?? [];
  if (events.length > 0)
    await db
      .insertInto('visitor_events')
      .values(
        events.map((event, i) => ({
          site_id: siteId,
          visitor_id: visitorId,
          visit_id: row.id,
          client_id: randomUUID(),
          name: event.name,
          properties: JSON.stringify(event.properties ?? {}),
          occurred_at: new Date(visit.startedAt.getTime() + (event.minutesIn ?? i + 1) * 60_000),
        })),
      )
      .execute();
  await db
    .updateTable('visitors')
    .set((eb) => ({ visit_count: eb.fn('greatest', [eb.ref('visit_count'), eb.val(visit.number)]) }))
    .where('id', '=', visitorId)
    .execute();
  return row.id;
}
