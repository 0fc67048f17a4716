/**
 * Conversations presented with their tags: every operator read of rows (lists,
 * one conversation, a visitor's conversations, a status or tag change) goes
 * through here, so the console always gets tags where a row is read whole.
 */
import type { ConversationDTO } from '@parley/protocol';
import type { Queryable } from '../../db/database.js';
import { type ConversationWithVisitor, presentConversation } from '../conversations/presenter.js';
import { NO_TAGS } from './presenter.js';
import { findTagsOfConversations } from './queries.js';

export async function presentConversationsWithTags(
  db: Queryable,
  rows: readonly ConversationWithVisitor[],
): Promise<ConversationDTO[]> {
  const tags = await findTagsOfConversations(
    db,
    rows.map((row) => row.id),
  );
  return rows.map((row) => presentConversation(row, tags.get(row.id) ?? NO_TAGS));
}

export async function presentConversationWithTags(
  db: Queryable,
  row: ConversationWithVisitor,
): Promise<ConversationDTO> {
  const [presented] = await presentConversationsWithTags(db, [row]);
  return presented as ConversationDTO;
}
