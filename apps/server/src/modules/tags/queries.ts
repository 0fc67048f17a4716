/** Reads of tags: a site's list, one tag, and the tags of a page of conversations. */
import type { Queryable } from '../../db/database.js';
import type { TagRow } from '../../db/schema.js';
import type { ConversationTags } from './presenter.js';

export async function listSiteTags(db: Queryable, siteId: string): Promise<TagRow[]> {
  return db
    .selectFrom('tags')
    .selectAll()
    .where('site_id', '=', siteId)
    .orderBy((eb) => eb.fn('lower', ['name']))
    .execute();
}

export async function findTag(db: Queryable, tagId: string): Promise<TagRow | undefined> {
  return db.selectFrom('tags').selectAll().where('id', '=', tagId).executeTakeFirst();
}

/**
 * The tags of the given conversations, in one query over the primary key of
 * `conversation_tags`. Read beside a page of rows rather than inside the row
 * query, which the message path also runs per message.
 */
export async function findTagsOfConversations(
  db: Queryable,
  conversationIds: readonly string[],
): Promise<Map<string, ConversationTags>> {
  const result = new Map<string, ConversationTags>();
  if (conversationIds.length === 0) return result;
  const rows = await db
    .selectFrom('conversation_tags')
    .select(['conversation_id', 'tag_id', 'close_reason'])
    .where('conversation_id', 'in', conversationIds)
    .orderBy('added_at')
    .orderBy('tag_id')
    .execute();
  for (const row of rows) {
    let tags = result.get(row.conversation_id);
    if (!tags) {
      tags = { tagIds: [], closeReasonTagId: null };
      result.set(row.conversation_id, tags);
    }
    tags.tagIds.push(row.tag_id);
    if (row.close_reason) tags.closeReasonTagId = row.tag_id;
  }
  return result;
}
