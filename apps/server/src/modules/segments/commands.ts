/**
 * Writes of segments: create, change, delete — owners and admins, from Settings → Segments. Names
 * are unique per site whatever their case; a site has at most `SEGMENT_LIMITS.perSite`.
 */
import {
  type CreateSegmentRequest,
  SEGMENT_LIMITS,
  type SegmentDTO,
  type UpdateSegmentRequest,
} from '@parley/protocol';
import { sql } from 'kysely';
import type { SegmentRow } from '../../db/schema.js';
import type { DomainContext } from '../context.js';
import { conflict, isUniqueViolation, notFound } from '../errors.js';
import { leastUsedColor } from '../tags/commands.js';
import { presentSegment } from './presenter.js';
import { listSiteSegments } from './queries.js';

const duplicateName = (name: string) => conflict(`A segment named "${name}" exists already`);

export async function segmentCreator(
  ctx: DomainContext,
  siteId: string,
  props: CreateSegmentRequest,
): Promise<SegmentDTO> {
  const existing = await listSiteSegments(ctx.db, siteId);
  if (existing.length >= SEGMENT_LIMITS.perSite)
    throw conflict(`A site has at most ${SEGMENT_LIMITS.perSite} segments; delete one first`);
  try {
    const row = await ctx.db
      .insertInto('segments')
      .values({
        site_id: siteId,
        name: props.name,
        color: props.color ?? leastUsedColor(existing.map((s) => s.color)),
        conditions: JSON.stringify(props.conditions),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return presentSegment(row);
  } catch (error) {
    if (isUniqueViolation(error, 'segments_site_name')) throw duplicateName(props.name);
    throw error;
  }
}

export async function segmentUpdater(
  ctx: DomainContext,
  segment: SegmentRow,
  changes: UpdateSegmentRequest,
): Promise<SegmentDTO> {
  try {
    const row = await ctx.db
      .updateTable('segments')
      .set({
        ...(changes.name !== undefined && { name: changes.name }),
        ...(changes.color !== undefined && { color: changes.color }),
        ...(changes.conditions !== undefined && { conditions: JSON.stringify(changes.conditions) }),
        updated_at: sql<Date>`now()`,
      })
      .where('id', '=', segment.id)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw notFound('Segment');
    return presentSegment(row);
  } catch (error) {
    if (isUniqueViolation(error, 'segments_site_name')) throw duplicateName(changes.name ?? segment.name);
    throw error;
  }
}

export async function segmentDeleter(ctx: DomainContext, segment: SegmentRow): Promise<void> {
  await ctx.db.deleteFrom('segments').where('id', '=', segment.id).execute();
}
