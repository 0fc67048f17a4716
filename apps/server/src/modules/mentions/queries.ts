/** Reads of mentions: an operator's list, newest first, and their unread count. */
import type { Queryable } from '../../db/database.js';
import type { MentionWithNote } from './presenter.js';

/** How many mentions the list shows: the recent ones; older ones are in their conversations. */
export const MENTION_LIST_SIZE = 50;

const withNote = (db: Queryable) =>
  db
    .selectFrom('mentions')
    .innerJoin('messages', 'messages.id', 'mentions.message_id')
    .innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
    .leftJoin('operators', 'operators.id', 'messages.author_id')
    .select([
      'mentions.id',
      'mentions.operator_id',
      'mentions.message_id',
      'messages.conversation_id',
      'conversations.site_id',
      'operators.display_name as author_name',
      'messages.text',
      'mentions.created_at',
      'mentions.read_at',
    ]);

/** The operator's mentions on the sites they still work on. */
export async function listMentions(
  db: Queryable,
  operatorId: string,
  siteIds: readonly string[],
): Promise<{ rows: MentionWithNote[]; unreadCount: number }> {
  if (siteIds.length === 0) return { rows: [], unreadCount: 0 };
  const [rows, unread] = await Promise.all([
    withNote(db)
      .where('mentions.operator_id', '=', operatorId)
      .where('conversations.site_id', 'in', siteIds)
      .orderBy('mentions.created_at', 'desc')
      .orderBy('mentions.id', 'desc')
      .limit(MENTION_LIST_SIZE)
      .execute(),
    db
      .selectFrom('mentions')
      .innerJoin('messages', 'messages.id', 'mentions.message_id')
      .innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('mentions.operator_id', '=', operatorId)
      .where('mentions.read_at', 'is', null)
      .where('conversations.site_id', 'in', siteIds)
      .executeTakeFirst(),
  ]);
  return { rows, unreadCount: Number(unread?.n ?? 0) };
}

export async function findMentionsOfMessage(db: Queryable, messageId: string, operatorIds: string[]) {
  if (operatorIds.length === 0) return [];
  return withNote(db)
    .where('mentions.message_id', '=', messageId)
    .where('mentions.operator_id', 'in', operatorIds)
    .execute();
}
