/**
 * The one statement that stores a message: it takes the conversation's next
 * seq under the row lock and inserts in the same statement, so seqs are
 * gapless and ordered however many senders race. The unique index on
 * (author_id, client_id) turns a retried send into a no-op that finds the
 * original.
 *
 * This is the hottest statement Parley runs, so it is a named prepared
 * statement on the raw pool: PostgreSQL parses and plans it once per
 * connection instead of once per message (measured in bench/message-path.ts).
 */
import type { AuthorKind } from '@parley/protocol';
import type pg from 'pg';
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

const APPEND_MESSAGE = {
  name: 'parley_append_message',
  text: `
    WITH conversation AS (
      UPDATE conversations SET
        last_seq = last_seq + 1,
        last_message_text = left($5, ${PREVIEW_LENGTH}),
        last_message_author_kind = $2,
        last_message_at = now(),
        last_activity_at = now(),
        unanswered_count = CASE WHEN $2 = 'visitor' THEN unanswered_count + 1 ELSE 0 END,
        waiting_since = CASE WHEN $2 = 'visitor' THEN coalesce(waiting_since, now()) ELSE NULL END,
        assignee_id = CASE WHEN $2 = 'operator' THEN coalesce(assignee_id, $3::uuid) ELSE assignee_id END
      WHERE id = $1 AND status = 'open'
      RETURNING id, last_seq
    )
    INSERT INTO messages (conversation_id, seq, author_kind, author_id, client_id, text)
    SELECT id, last_seq, $2, $3::uuid, $4, $5 FROM conversation
    RETURNING *`,
};

export async function appendMessage(pool: pg.Pool, props: AppendMessageProps): Promise<AppendResult> {
  const { conversationId, authorKind, authorId, clientId, text } = props;
  try {
    const result = await pool.query<MessageRow>({
      ...APPEND_MESSAGE,
      values: [conversationId, authorKind, authorId, clientId, text],
    });
    const row = result.rows[0];
    return row ? { kind: 'created', row } : { kind: 'not_open' };
  } catch (error) {
    if (isUniqueViolation(error, 'messages_author_client_id')) return { kind: 'duplicate' };
    throw error;
  }
}
