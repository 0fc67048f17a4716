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
 *
 * The same statement decides what the message does to its conversation's row
 * (`CONVERSATION_CHANGES`) and returns the row as it left it, with the names
 * its presenter needs: the realtime event carries that row, so no client
 * re-derives the rule and no second query is needed. It returns only what
 * the message row does not already say (see `CONVERSATION_COLUMNS`): every
 * column returned is parsed again per message, timestamps most dearly.
 *
 * Inside a caller's transaction (`appendMessageInTransaction`) the batch
 * statement runs for the one message on the caller's connection: it leaves a
 * stored retry out instead of failing on it, since a failed statement would
 * abort the caller's transaction.
 */
import { type AuthorKind, LIMITS, type Visibility } from '@parley/protocol';
import { CompiledQuery } from 'kysely';
import type pg from 'pg';
import type { Tx } from '../../db/database.js';
import type { ConversationRow } from '../../db/schema.js';
import { isUniqueViolation } from '../errors.js';
import type { ConversationWithVisitor, MessageWithAuthor } from './presenter.js';

export interface AppendMessageProps {
  conversationId: string;
  authorKind: AuthorKind;
  authorId: string | null;
  clientId: string | null;
  text: string;
  /** Public unless given: only operators write notes. */
  visibility?: Visibility;
}

/** A stored message and its conversation's row right after it, as one statement left them. */
export interface AppendedMessage {
  message: MessageWithAuthor;
  conversation: ConversationWithVisitor;
}

export type AppendResult =
  | { kind: 'created'; row: AppendedMessage }
  /** Same author and client id was stored before: nothing written. */
  | { kind: 'duplicate' }
  /** The conversation is not open (closed meanwhile, or missing): nothing written. */
  | { kind: 'not_open' };

/**
 * What a message does to its conversation's row; `m` is the message being
 * appended. Every message takes the next `seq`; a public one also the next
 * `public_seq` (the visitor's numbering). It becomes the row's last message
 * (operators' preview: a note shows there, marked) and its activity. Only a
 * public operator reply answers the visitor — resets the unanswered count and
 * the waiting time, and assigns an unassigned conversation to the replier; a
 * visitor's message adds to them; a note or a system message leaves them be.
 * The console applies the resulting row as the event carries it.
 */
const CONVERSATION_CHANGES = `
  last_seq = c.last_seq + 1,
  last_public_seq = c.last_public_seq + CASE WHEN m.visibility = 'public' THEN 1 ELSE 0 END,
  last_message_text = left(m.text, ${LIMITS.lastMessagePreview}),
  last_message_author_kind = m.author_kind,
  last_message_visibility = m.visibility,
  last_message_at = now(),
  last_activity_at = now(),
  unanswered_count = CASE
    WHEN m.author_kind = 'visitor' THEN c.unanswered_count + 1
    WHEN m.author_kind = 'operator' AND m.visibility = 'public' THEN 0
    ELSE c.unanswered_count END,
  waiting_since = CASE
    WHEN m.author_kind = 'visitor' THEN coalesce(c.waiting_since, now())
    WHEN m.author_kind = 'operator' AND m.visibility = 'public' THEN NULL
    ELSE c.waiting_since END,
  assignee_id = CASE WHEN m.author_kind = 'operator' AND m.visibility = 'public'
    THEN coalesce(c.assignee_id, m.author_id) ELSE c.assignee_id END,
  assigned_at = CASE WHEN m.author_kind = 'operator' AND m.visibility = 'public' AND c.assignee_id IS NULL
    THEN now() ELSE c.assigned_at END,
  escalation = CASE WHEN m.author_kind = 'operator' AND m.visibility = 'public' THEN 0 ELSE c.escalation END`;

/**
 * The conversation row's columns the statement returns, each as `conversation_<column>`.
 * The others are known without asking: the row is open (only open rows are
 * updated, and a message does not close one), so `status` is 'open' and
 * `closed_at` null; `last_seq` is the message's seq; the last message's
 * kind and visibility are the message's; `last_message_at` and
 * `last_activity_at` are `now()`, the transaction's time, which is also the
 * message's `created_at` (its default). `toAppended` fills them in.
 */
const CONVERSATION_COLUMNS = [
  'site_id',
  'visitor_id',
  'channel',
  'assignee_id',
  'last_public_seq',
  'last_message_text',
  'unanswered_count',
  'waiting_since',
  'created_at',
  'department_id',
  'participant_ids',
  'assigned_at',
  'escalation',
  'visitor_read_seq',
  'operator_read_seq',
] as const satisfies readonly (keyof ConversationRow)[];

/**
 * The end every statement shares, after a CTE `m` of messages (one per
 * conversation, each with its visibility): each open conversation takes its
 * next seqs under the row lock, and its message is inserted with them. A
 * message whose conversation is not open gets no row. Returned per message:
 * the message, its operator author's profile, and its conversation's new row
 * with the visitor's name (primary-key probes of the same statement).
 */
const STORE_MESSAGES = `
    conversation AS (
      UPDATE conversations c SET ${CONVERSATION_CHANGES}
      FROM m
      WHERE c.id = m.conversation_id AND c.status = 'open'
      RETURNING c.id, c.last_seq, ${CONVERSATION_COLUMNS.map((column) => `c.${column}`).join(', ')}
    ),
    stored AS (
      INSERT INTO messages (conversation_id, seq, public_seq, visibility, author_kind, author_id, client_id, text)
      SELECT conversation.id, conversation.last_seq,
             CASE WHEN m.visibility = 'public' THEN conversation.last_public_seq END,
             m.visibility, m.author_kind, m.author_id, m.client_id, m.text
      FROM conversation JOIN m ON m.conversation_id = conversation.id
      RETURNING *
    )
    SELECT stored.*,
           author.display_name AS author_name, author.avatar_url AS author_avatar_url,
           ${CONVERSATION_COLUMNS.map((column) => `conversation.${column} AS conversation_${column}`).join(', ')},
           visitor.name AS visitor_name
    FROM stored
    JOIN conversation ON conversation.id = stored.conversation_id
    JOIN visitors visitor ON visitor.id = conversation.visitor_id
    LEFT JOIN operators author ON stored.author_kind IN ('operator', 'system') AND author.id = stored.author_id`;

const APPEND_ONE = {
  name: 'parley_append_message',
  text: `
    WITH m AS (
      SELECT $1::uuid AS conversation_id, $2::text AS author_kind, $3::uuid AS author_id,
             $4::text AS client_id, $5::text AS text, $6::text AS visibility
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
const APPEND_MANY = `
    WITH input AS (
      SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::text[])
        AS i(conversation_id, author_kind, author_id, client_id, text, visibility)
    ),
    m AS (
      SELECT input.* FROM input
      WHERE input.client_id IS NULL OR NOT EXISTS (
        SELECT 1 FROM messages stored
        WHERE stored.author_id = input.author_id AND stored.client_id = input.client_id
          AND stored.client_id IS NOT NULL
      )
    ),
    ${STORE_MESSAGES}`;

type StatementRow = MessageWithAuthor & { visitor_name: string | null } & {
  [C in (typeof CONVERSATION_COLUMNS)[number] as `conversation_${C}`]: ConversationRow[C];
};

/** Splits a returned row into the message and its conversation's row (see `CONVERSATION_COLUMNS`). */
function toAppended(row: StatementRow): AppendedMessage {
  const kind = row.author_kind;
  return {
    message: {
      id: row.id,
      conversation_id: row.conversation_id,
      seq: row.seq,
      public_seq: row.public_seq,
      visibility: row.visibility,
      author_kind: row.author_kind,
      author_id: row.author_id,
      client_id: row.client_id,
      text: row.text,
      attachments: row.attachments,
      via: row.via,
      created_at: row.created_at,
      author_name: row.author_name,
      author_avatar_url: row.author_avatar_url,
    },
    conversation: {
      id: row.conversation_id,
      site_id: row.conversation_site_id,
      visitor_id: row.conversation_visitor_id,
      status: 'open',
      channel: row.conversation_channel,
      assignee_id: row.conversation_assignee_id,
      last_seq: row.seq,
      last_public_seq: row.conversation_last_public_seq,
      last_message_text: row.conversation_last_message_text,
      last_message_author_kind: kind,
      last_message_visibility: row.visibility,
      last_message_at: row.created_at,
      last_activity_at: row.created_at,
      unanswered_count: row.conversation_unanswered_count,
      waiting_since: row.conversation_waiting_since,
      created_at: row.conversation_created_at,
      closed_at: null,
      department_id: row.conversation_department_id,
      participant_ids: row.conversation_participant_ids,
      assigned_at: row.conversation_assigned_at,
      escalation: row.conversation_escalation,
      visitor_read_seq: row.conversation_visitor_read_seq,
      operator_read_seq: row.conversation_operator_read_seq,
      visitor_name: row.visitor_name,
      last_message_author_name:
        kind === 'visitor' ? row.visitor_name : kind === 'operator' ? row.author_name : null,
    },
  };
}

function valuesOf(props: AppendMessageProps): unknown[] {
  const { conversationId, authorKind, authorId, clientId, text } = props;
  return [conversationId, authorKind, authorId, clientId, text, props.visibility ?? 'public'];
}

/** Stores one message on its own: the path every message can fall back to. */
export async function appendMessage(pool: pg.Pool, props: AppendMessageProps): Promise<AppendResult> {
  try {
    const result = await pool.query<StatementRow>({ ...APPEND_ONE, values: valuesOf(props) });
    const row = result.rows[0];
    return row ? { kind: 'created', row: toAppended(row) } : { kind: 'not_open' };
  } catch (error) {
    if (isUniqueViolation(error, 'messages_author_client_id')) return { kind: 'duplicate' };
    throw error;
  }
}

/**
 * Stores one message on the caller's transaction, so it commits or rolls back
 * with the caller's other writes. A retry stored before is found without an
 * error (which would abort the transaction); one racing its original on
 * another connection still fails the statement, and the caller's transaction
 * with it — its retry then finds the original.
 */
export async function appendMessageInTransaction(tx: Tx, props: AppendMessageProps): Promise<AppendResult> {
  const values = valuesOf(props).map((value) => [value]);
  const { rows } = await tx.executeQuery<StatementRow>(CompiledQuery.raw(APPEND_MANY, values));
  const row = rows[0];
  if (row) return { kind: 'created', row: toAppended(row) };
  if (props.authorId && props.clientId) {
    const stored = await tx
      .selectFrom('messages')
      .select('id')
      .where('author_id', '=', props.authorId)
      .where('client_id', '=', props.clientId)
      .executeTakeFirst();
    if (stored) return { kind: 'duplicate' };
  }
  return { kind: 'not_open' };
}

/**
 * Stores messages of distinct conversations in one statement. Returns the
 * stored message per conversation id; a message without one was not stored
 * (a retry of a stored message, or its conversation is not open).
 */
export async function appendMessages(
  pool: pg.Pool,
  batch: readonly AppendMessageProps[],
): Promise<Map<string, AppendedMessage>> {
  const columns = batch.map(valuesOf);
  const result = await pool.query<StatementRow>({
    text: APPEND_MANY,
    values: [0, 1, 2, 3, 4, 5].map((i) => columns.map((values) => values[i])),
  });
  return new Map(result.rows.map((row) => [row.conversation_id, toAppended(row)]));
}
