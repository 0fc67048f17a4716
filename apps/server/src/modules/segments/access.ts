/** A segment an operator may use (filter by, read): one of their sites' — else "not found", like a missing one. */
import type { Queryable } from '../../db/database.js';
import type { SegmentRow } from '../../db/schema.js';
import { notFound } from '../errors.js';
import { authorizeOnSite } from '../policy/access.js';
import type { OperatorActor } from '../policy/actors.js';
import { findSegment } from './queries.js';

export async function loadSegmentFor(
  db: Queryable,
  actor: OperatorActor,
  segmentId: string,
): Promise<SegmentRow> {
  const segment = await findSegment(db, segmentId);
  if (!segment) throw notFound('Segment');
  authorizeOnSite(actor, 'conversation.view', segment.site_id, 'Segment');
  return segment;
}
