/** Tags on the wire. */
import type { TagDTO } from '@parley/protocol';
import type { TagRow } from '../../db/schema.js';

export function presentTag(row: TagRow): TagDTO {
  return {
    id: row.id,
    siteId: row.site_id,
    name: row.name,
    color: row.color,
    createdAt: row.created_at.toISOString(),
  };
}

/** A conversation's tags as its row carries them: ids oldest first, and the close reason. */
export interface ConversationTags {
  tagIds: string[];
  closeReasonTagId: string | null;
}

export const NO_TAGS: ConversationTags = { tagIds: [], closeReasonTagId: null };
