/**
 * The one statement that stores a message: it takes the conversation's next
 * seq under the row lock and inserts in the same statement, so seqs are
 * gapless and ordered however many senders race. The unique index on
 * (author_id, client_id) turns a retried send into a no-op that finds the
 * original.
 */
import type { AuthorKind } from '@parley/protocol';
import { sql } from 'kysely';
import type { Queryable } from '../../db/database.js';
import type { MessageRow } from '../../db/schema.js';
import { isUniqueViolation } from '../errors.js';

export interface AppendMessageProps {
  conversationId: string;
  authorKind: AuthorKind;
  authorId: string | null;
  clientId: string | null;
  text: string;
}

export type AppendResult =
  | { kind: 'created'; row: MessageRow }
  /** Same author and client id was stored before: nothing written. */
  | { kind: 'duplicate' }
  /** The conversation is not open (closed meanwhile, or missing): nothing written. */
  | { kind: 'not_open' };

const PREVIEW_LENGTH = 200;

export async function appendMessage(db: Queryable, props: AppendMessageProps): Promise<AppendResult> {
  const { conversationId, authorKind, authorId, clientId, text } = props;
  const fromVisitor = authorKind === 'visitor';
  try {
    const result = await sql<MessageRow>`
      WITH conversation AS (
        UPDATE conversations SET
          last_seq = last_seq + 1,
          last_message_text = left(${text}, ${PREVIEW_LENGTH}),
          last_message_author_kind = ${authorKind},
          last_message_at = now(),
          last_activity_at = now(),
          unanswered_count = CASE WHEN ${fromVisitor} THEN unanswered_count + 1 ELSE 0 END,
          waiting_since = CASE WHEN ${fromVisitor} THEN coalesce(waiting_since, now()) ELSE NULL END,
          assignee_id = CASE WHEN ${authorKind} = 'operator' THEN coalesce(assignee_id, ${authorId}::uuid) ELSE assignee_id END
        WHERE id = ${conversationId} AND status = 'open'
        RETURNING id, last_seq
      )
      INSERT INTO messages (conversation_id, seq, author_kind, author_id, client_id, text)
      SELECT id, last_seq, ${authorKind}, ${authorId}::uuid, ${clientId}, ${text} FROM conversation
      RETURNING *`.execute(db);
    const row = result.rows[0];
    return row ? { kind: 'created', row } : { kind: 'not_open' };
  } catch (error) {
    if (isUniqueViolation(error, 'messages_author_client_id')) return { kind: 'duplicate' };
    throw error;
  }
}
