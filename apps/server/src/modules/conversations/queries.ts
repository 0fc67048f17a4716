/**
 * Reads of conversations and messages. Every list is keyset-paginated.
 * Reads for operators see every message; reads for visitors (`listVisitor*`)
 * select public messages only, in SQL.
 */
import type { ConversationChannel, ConversationStatus, SegmentCondition } from '@parley/protocol';
import { type SelectQueryBuilder, sql } from 'kysely';
import type { Queryable } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import { DomainError } from '../errors.js';
import { segmentPredicate } from '../segments/compiler.js';
import type { ConversationWithVisitor, MessageWithAuthor } from './presenter.js';

/**
 * Conversations as presenters need them: with the visitor's name and the name
 * of whoever wrote the last message. The message path stores only the last
 * author's kind on the row and stays as lean as it is; the name is found here,
 * at read time (so a renamed operator shows under the new name): the visitor's
 * own, or for an operator one probe of the unique `messages (conversation_id,
 * seq)` index at `last_seq` and one of `operators` by primary key, per row.
 */
function conversationsWithVisitor(db: Queryable) {
  return db
    .selectFrom('conversations')
    .innerJoin('visitors', 'visitors.id', 'conversations.visitor_id')
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('messages as last_message')
          .innerJoin('operators as last_operator', 'last_operator.id', 'last_message.author_id')
          .select('last_operator.display_name')
          .whereRef('last_message.conversation_id', '=', 'conversations.id')
          .whereRef('last_message.seq', '=', 'conversations.last_seq')
          .where('last_message.author_kind', '=', 'operator')
          // At most one row anyway ((conversation_id, seq) is unique), but the LIMIT keeps the planner from
          // flattening this into a join: where operators' messages are few, it would hash all of them
          // (a sequential scan of messages, 131 ms at 100,000) instead of probing one row per conversation.
          .limit(1)
          .as('last_author'),
      (join) => join.onTrue(),
    )
    .selectAll('conversations')
    .select((eb) => [
      'visitors.name as visitor_name',
      eb
        .case('conversations.last_message_author_kind')
        .when('operator')
        .then(eb.ref('last_author.display_name'))
        .when('visitor')
        .then(eb.ref('visitors.name'))
        .else(null)
        .end()
        .as('last_message_author_name'),
    ]);
}

export async function findConversation(
  db: Queryable,
  conversationId: string,
): Promise<ConversationWithVisitor | undefined> {
  return conversationsWithVisitor(db).where('conversations.id', '=', conversationId).executeTakeFirst();
}

export async function findOpenConversationOfVisitor(
  db: Queryable,
  visitorId: string,
): Promise<ConversationWithVisitor | undefined> {
  return conversationsWithVisitor(db)
    .where('conversations.visitor_id', '=', visitorId)
    .where('conversations.status', '=', 'open')
    .executeTakeFirst();
}

export async function listConversationsOfVisitor(
  db: Queryable,
  visitorId: string,
): Promise<ConversationWithVisitor[]> {
  return conversationsWithVisitor(db)
    .where('conversations.visitor_id', '=', visitorId)
    .orderBy('conversations.created_at', 'desc')
    .limit(200)
    .execute();
}

export interface ConversationFilter {
  siteIds: string[];
  status?: ConversationStatus;
  channel?: ConversationChannel;
  /** Routing's filters: `unassigned`, or an operator's id (theirs: assigned or invited in). */
  assignee?: 'unassigned' | { operatorId: string };
  departmentId?: string;
  /** Only conversations carrying this tag (one probe of `conversation_tags`' primary key per row). */
  tagId?: string;
  /** Only conversations whose visitor meets these conditions now (a segment's, issue 12). */
  segment?: readonly SegmentCondition[];
  cursor?: string;
  limit: number;
}

/** The inbox, newest activity first. The cursor is the (last_activity_at, id) of the last row seen. */
export async function listConversations(
  db: Queryable,
  filter: ConversationFilter,
): Promise<{ rows: ConversationWithVisitor[]; nextCursor: string | null }> {
  if (filter.siteIds.length === 0) return { rows: [], nextCursor: null };
  let query = conversationsWithVisitor(db)
    // Text keeps the microseconds a JS Date would drop, so the cursor never skips a row.
    .select(sql<string>`conversations.last_activity_at::text`.as('activity_cursor'))
    .where('conversations.site_id', 'in', filter.siteIds);
  if (filter.status) query = query.where('conversations.status', '=', filter.status);
  if (filter.channel) query = query.where('conversations.channel', '=', filter.channel);
  if (filter.assignee === 'unassigned') query = query.where('conversations.assignee_id', 'is', null);
  else if (filter.assignee) {
    const { operatorId } = filter.assignee;
    query = query.where((eb) =>
      eb.or([
        eb('conversations.assignee_id', '=', operatorId),
        eb(eb.val(operatorId), '=', eb.fn.any('conversations.participant_ids')),
      ]),
    );
  }
  if (filter.departmentId) query = query.where('conversations.department_id', '=', filter.departmentId);
  const { tagId } = filter;
  if (tagId)
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('conversation_tags as tagged')
          .select('tagged.tag_id')
          .whereRef('tagged.conversation_id', '=', 'conversations.id')
          .where('tagged.tag_id', '=', tagId),
      ),
    );
  const { segment } = filter;
  if (segment)
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('visitors as sv')
          .select('sv.id')
          .whereRef('sv.id', '=', 'conversations.visitor_id')
          .where(segmentPredicate(segment, new Date())),
      ),
    );
  if (filter.cursor) {
    const { at, id } = decodeCursor(filter.cursor);
    query = query.where(
      sql<boolean>`(conversations.last_activity_at, conversations.id) < (${at}::timestamptz, ${id}::uuid)`,
    );
  }
  const rows = await query
    .orderBy('conversations.last_activity_at', 'desc')
    .orderBy('conversations.id', 'desc')
    .limit(filter.limit + 1)
    .execute();
  const page = rows.slice(0, filter.limit);
  const last = page.at(-1);
  return {
    rows: page,
    nextCursor: rows.length > filter.limit && last ? encodeCursor(last.activity_cursor, last.id) : null,
  };
}

function encodeCursor(at: string, id: string): string {
  return Buffer.from(JSON.stringify([at, id])).toString('base64url');
}

function decodeCursor(cursor: string): { at: string; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    if (
      typeof at === 'string' &&
      typeof id === 'string' &&
      !Number.isNaN(Date.parse(at)) &&
      /^[0-9a-f-]{36}$/.test(id)
    ) {
      return { at, id };
    }
  } catch {
    // fall through to the error below
  }
  throw new DomainError('bad_request', 'Invalid cursor');
}

function messagesWithAuthor(
  db: Queryable,
): SelectQueryBuilder<Database & { o: Database['operators'] }, 'messages' | 'o', MessageWithAuthor> {
  return db
    .selectFrom('messages')
    .leftJoin('operators as o', (join) =>
      // A system line may name an operator too ("Anna joined the chat", routing): it shows their name and photo.
      join.onRef('o.id', '=', 'messages.author_id').on('messages.author_kind', 'in', ['operator', 'system']),
    )
    .selectAll('messages')
    .select(['o.display_name as author_name', 'o.avatar_url as author_avatar_url']) as never;
}

export async function findMessageByClientId(
  db: Queryable,
  authorId: string,
  clientId: string,
): Promise<MessageWithAuthor | undefined> {
  return messagesWithAuthor(db)
    .where('messages.author_id', '=', authorId)
    .where('messages.client_id', '=', clientId)
    .executeTakeFirst();
}

export interface MessageWindow {
  afterSeq?: number;
  beforeSeq?: number;
  limit: number;
}

/**
 * Messages of one conversation in seq order. With `afterSeq`: the ones after it
 * (resume). With `beforeSeq`, or neither: the latest `limit` before it (scroll back).
 */
export async function listMessages(
  db: Queryable,
  conversationId: string,
  window: MessageWindow,
): Promise<{ rows: MessageWithAuthor[]; hasMore: boolean }> {
  let query = messagesWithAuthor(db).where('messages.conversation_id', '=', conversationId);
  if (window.afterSeq !== undefined) {
    const rows = await query
      .where('messages.seq', '>', window.afterSeq)
      .orderBy('messages.seq', 'asc')
      .limit(window.limit + 1)
      .execute();
    return { rows: rows.slice(0, window.limit), hasMore: rows.length > window.limit };
  }
  if (window.beforeSeq !== undefined) query = query.where('messages.seq', '<', window.beforeSeq);
  const rows = await query
    .orderBy('messages.seq', 'desc')
    .limit(window.limit + 1)
    .execute();
  return { rows: rows.slice(0, window.limit).reverse(), hasMore: rows.length > window.limit };
}

/**
 * Public messages of one conversation after the visitor's `afterSeq`, in the
 * visitor's numbering (`public_seq`): the widget's resume. Notes are left out
 * here, in SQL, and leave no gap in what is returned.
 *
 * Read through the `(conversation_id, seq)` index (public_seq has none: an
 * index there cost a write per message). Both numbers are taken under the
 * conversation's row lock, so public_seq ≤ seq and they grow together: every
 * message past the visitor's `afterSeq` also has a seq past it, the scan
 * starts there, skips only notes, and seq order is public_seq order.
 */
export async function listVisitorMessages(
  db: Queryable,
  conversationId: string,
  window: { afterSeq: number; limit: number },
): Promise<{ rows: MessageWithAuthor[]; hasMore: boolean }> {
  const rows = await messagesWithAuthor(db)
    .where('messages.conversation_id', '=', conversationId)
    .where('messages.seq', '>', window.afterSeq)
    .where('messages.visibility', '=', 'public')
    .where('messages.public_seq', '>', window.afterSeq)
    .orderBy('messages.seq', 'asc')
    .limit(window.limit + 1)
    .execute();
  return { rows: rows.slice(0, window.limit), hasMore: rows.length > window.limit };
}

/** Everything a visitor ever said and was told (public messages only, filtered in SQL), oldest first: the widget's history. */
export async function listVisitorHistory(
  db: Queryable,
  visitorId: string,
  limit = 1000,
): Promise<MessageWithAuthor[]> {
  const rows = await messagesWithAuthor(db)
    .innerJoin('conversations as c', 'c.id', 'messages.conversation_id')
    .where('c.visitor_id', '=', visitorId)
    .where('messages.visibility', '=', 'public')
    .orderBy('c.created_at', 'desc')
    .orderBy('messages.seq', 'desc')
    .limit(limit)
    .execute();
  return rows.reverse();
}
