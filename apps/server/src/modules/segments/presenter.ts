/** Segments on the wire. */
import type { SegmentDTO } from '@parley/protocol';
import type { SegmentRow } from '../../db/schema.js';

export function presentSegment(row: SegmentRow): SegmentDTO {
  return {
    id: row.id,
    siteId: row.site_id,
    name: row.name,
    color: row.color,
    conditions: row.conditions,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
