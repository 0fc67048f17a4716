/** Reads of tracking's hot path: what the loader's answer and "visitors now" need after a batch. */
import { sql } from 'kysely';
import type { Queryable } from '../../db/database.js';

/**
 * The visitor's open conversation, and whether it has public operator messages past the visitor's
 * read receipt (`unseen`): one indexed look (a visitor has at most one open conversation; the
 * messages probe reads only the conversation's tail by (conversation_id, seq)).
 */
export async function getOpenConversationUnseen(
  db: Queryable,
  visitorId: string,
): Promise<{ conversationId: string | null; unseen: boolean }> {
  const row = await db
    .selectFrom('conversations as c')
    .select((eb) => [
      'c.id',
      eb
        .exists(
          eb
            .selectFrom('messages as m')
            .select(sql`1`.as('one'))
            .whereRef('m.conversation_id', '=', 'c.id')
            .whereRef('m.seq', '>', 'c.visitor_read_seq')
            .where('m.author_kind', '=', 'operator')
            .where('m.visibility', '=', 'public'),
        )
        .as('unseen'),
    ])
    .where('c.visitor_id', '=', visitorId)
    .where('c.status', '=', 'open')
    .executeTakeFirst();
  return { conversationId: row?.id ?? null, unseen: Boolean(row?.unseen) };
}
