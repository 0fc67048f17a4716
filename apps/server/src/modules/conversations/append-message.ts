/**
 * How a message is stored: the statement that takes the conversation's next
 * seq under the row lock and inserts in the same statement, so seqs are
 * gapless and ordered however many senders race. The unique index on
 * (author_id, client_id) turns a retried send into a no-op that finds the
 * original.
 *
 * Appends go through `MessageAppender`, a group commit: while one batch is
 * being written, the appends that arrive wait and then go together as one
 * multi-row statement — one round trip, one commit and one WAL flush for the
 * lot. At low load a batch is a single message and nothing waits; at
 * thousands of messages a second the cost per message falls instead of the
 * queue growing (measured in bench/message-path.ts).
 *
 * The single-message statement is a named prepared statement on the raw
 * pool: PostgreSQL parses and plans it once per connection instead of once
 * per message, and its plan (primary-key lookups) suits any table size. The
 * batch statement is planned afresh for every batch, knowing how many
 * messages it carries: a cached generic plan assumes 100 rows per array and,
 * while the tables hold a few thousand rows, picks scans of every open
 * conversation and every message over index lookups — measured in
 * bench/message-path.ts as PostgreSQL CPU jumping from 25 % to 118 % at
 * 1,000 msg/s. Planning costs far less than such a scan.
 */
import { type AuthorKind, LIMITS } from '@parley/protocol';
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

/** What the message does to its conversation's row; `m` is the message being appended. */
const CONVERSATION_CHANGES = `
  last_seq = c.last_seq + 1,
  last_message_text = left(m.text, ${LIMITS.lastMessagePreview}),
  last_message_author_kind = m.author_kind,
  last_message_at = now(),
  last_activity_at = now(),
  unanswered_count = CASE WHEN m.author_kind = 'visitor' THEN c.unanswered_count + 1 ELSE 0 END,
  waiting_since = CASE WHEN m.author_kind = 'visitor' THEN coalesce(c.waiting_since, now()) ELSE NULL END,
  assignee_id = CASE WHEN m.author_kind = 'operator' THEN coalesce(c.assignee_id, m.author_id) ELSE c.assignee_id END`;

/**
 * The end both statements share, after a CTE `m` of messages (one per
 * conversation): each open conversation takes its next seq under the row
 * lock, and its message is inserted with it. A message whose conversation is
 * not open gets no row.
 */
const STORE_MESSAGES = `
    conversation AS (
      UPDATE conversations c SET ${CONVERSATION_CHANGES}
      FROM m
      WHERE c.id = m.conversation_id AND c.status = 'open'
      RETURNING c.id, c.last_seq
    )
    INSERT INTO messages (conversation_id, seq, author_kind, author_id, client_id, text)
    SELECT conversation.id, conversation.last_seq, m.author_kind, m.author_id, m.client_id, m.text
    FROM conversation JOIN m ON m.conversation_id = conversation.id
    RETURNING *`;

const APPEND_ONE = {
  name: 'parley_append_message',
  text: `
    WITH m AS (
      SELECT $1::uuid AS conversation_id, $2::text AS author_kind, $3::uuid AS author_id,
             $4::text AS client_id, $5::text AS text
    ),
    ${STORE_MESSAGES}`,
};

/**
 * Several messages, each of a different conversation (the appender makes sure
 * of that: one UPDATE cannot apply two changes to one row). Retries already
 * stored are left out before they take a seq, so they cannot make the
 * statement fail; a retry that races its original in another batch still can,
 * and then every message of the batch is appended alone — as it is when two
 * nodes' batches lock the same conversations in opposite orders and
 * PostgreSQL breaks the deadlock.
 */
const APPEND_MANY = {
  text: `
    WITH input AS (
      SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::text[])
        AS i(conversation_id, author_kind, author_id, client_id, text)
    ),
    m AS (
      SELECT input.* FROM input
      WHERE input.client_id IS NULL OR NOT EXISTS (
        SELECT 1 FROM messages stored
        WHERE stored.author_id = input.author_id AND stored.client_id = input.client_id
          AND stored.client_id IS NOT NULL
      )
    ),
    ${STORE_MESSAGES}`,
};

/** Stores one message on its own: the path every message can fall back to. */
export async function appendMessage(pool: pg.Pool, props: AppendMessageProps): Promise<AppendResult> {
  const { conversationId, authorKind, authorId, clientId, text } = props;
  try {
    const result = await pool.query<MessageRow>({
      ...APPEND_ONE,
      values: [conversationId, authorKind, authorId, clientId, text],
    });
    const row = result.rows[0];
    return row ? { kind: 'created', row } : { kind: 'not_open' };
  } catch (error) {
    if (isUniqueViolation(error, 'messages_author_client_id')) return { kind: 'duplicate' };
    throw error;
  }
}

/**
 * Stores messages of distinct conversations in one statement. Returns the
 * stored row per conversation id; a message without one was not stored
 * (a retry of a stored message, or its conversation is not open).
 */
export async function appendMessages(
  pool: pg.Pool,
  batch: readonly AppendMessageProps[],
): Promise<Map<string, MessageRow>> {
  const result = await pool.query<MessageRow>({
    ...APPEND_MANY,
    values: [
      batch.map((m) => m.conversationId),
      batch.map((m) => m.authorKind),
      batch.map((m) => m.authorId),
      batch.map((m) => m.clientId),
      batch.map((m) => m.text),
    ],
  });
  return new Map(result.rows.map((row) => [row.conversation_id, row]));
}
