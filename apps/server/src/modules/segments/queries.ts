/**
 * Reads of segments: a site's list, one segment, and membership — how many of a site's visitors
 * match (the form's preview), which segments some visitors are in (the card's chips, "visitors
 * now"), each one statement whose predicate is `segmentPredicate`.
 */
import type { SegmentCondition } from '@parley/protocol';
import { sql } from 'kysely';
import type { Queryable } from '../../db/database.js';
import type { SegmentRow } from '../../db/schema.js';
import { segmentPredicate } from './compiler.js';

export async function listSiteSegments(db: Queryable, siteId: string): Promise<SegmentRow[]> {
  return db
    .selectFrom('segments')
    .selectAll()
    .where('site_id', '=', siteId)
    .orderBy((eb) => eb.fn('lower', ['name']))
    .orderBy('id')
    .execute();
}

export async function findSegment(db: Queryable, segmentId: string): Promise<SegmentRow | undefined> {
  return db.selectFrom('segments').selectAll().where('id', '=', segmentId).executeTakeFirst();
}

/** How many of the site's visitors meet `conditions` now. */
export async function countSegmentVisitors(
  db: Queryable,
  siteId: string,
  conditions: readonly SegmentCondition[],
  now = new Date(),
): Promise<number> {
  const row = await db
    .selectFrom('visitors as sv')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('sv.site_id', '=', siteId)
    .where(segmentPredicate(conditions, now))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Ids of the site's visitors who meet `conditions` now, among `visitorIds` (all when omitted). */
export async function findSegmentVisitors(
  db: Queryable,
  siteId: string,
  conditions: readonly SegmentCondition[],
  options: { visitorIds?: readonly string[]; now?: Date } = {},
): Promise<string[]> {
  if (options.visitorIds?.length === 0) return [];
  let query = db
    .selectFrom('visitors as sv')
    .select('sv.id')
    .where('sv.site_id', '=', siteId)
    .where(segmentPredicate(conditions, options.now ?? new Date()));
  if (options.visitorIds)
    query = query.where('sv.id', '=', sql<string>`ANY(${[...options.visitorIds]}::uuid[])`);
  return (await query.orderBy('sv.id').execute()).map((row) => row.id);
}

/**
 * Which of the site's segments each visitor is in: visitor id → segment ids (in the segments'
 * order). One statement per segment, each an index probe per visitor asked about.
 */
export async function findSegmentMembership(
  db: Queryable,
  siteId: string,
  visitorIds: readonly string[],
  now = new Date(),
): Promise<Map<string, string[]>> {
  const members = new Map<string, string[]>();
  if (visitorIds.length === 0) return members;
  const segments = await listSiteSegments(db, siteId);
  const matches = await Promise.all(
    segments.map((segment) => findSegmentVisitors(db, siteId, segment.conditions, { visitorIds, now })),
  );
  segments.forEach((segment, i) => {
    for (const visitorId of matches[i] ?? [])
      members.set(visitorId, [...(members.get(visitorId) ?? []), segment.id]);
  });
  return members;
}
