/** Canned reply rows → DTOs. */
import type { CannedReplyDTO } from '@parley/protocol';
import type { CannedReplyRow } from '../../db/schema.js';

export function presentCannedReply(row: CannedReplyRow): CannedReplyDTO {
  return {
    id: row.id,
    siteId: row.site_id,
    scope: row.owner_id === null ? 'shared' : 'personal',
    ownerId: row.owner_id,
    shortcut: row.shortcut,
    title: row.title,
    body: row.body,
    updatedAt: row.updated_at.toISOString(),
  };
}
