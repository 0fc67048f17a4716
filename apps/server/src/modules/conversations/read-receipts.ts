/**
 * Read receipts: how far each side has read a conversation, one integer per
 * side on its row (see migration 015). A read that moves nothing forward
 * writes nothing and announces nothing, so repeating one costs a primary-key
 * probe; a seq past the conversation's last message is refused.
 *
 * The visitor reports in its own numbering (public messages); it is stored
 * and announced in the operators' numbering, which is what the console
 * compares its messages with. An operator's read goes the other way.
 */
import { sql } from 'kysely';
import type { DomainContext } from '../context.js';
import { DomainError } from '../errors.js';
import type { ConversationWithVisitor } from './presenter.js';

type Conversation = Pick<
  ConversationWithVisitor,
  'id' | 'site_id' | 'visitor_id' | 'last_seq' | 'last_public_seq'
>;

const beyondTheLast = (seq: number, last: number) =>
  new DomainError('bad_request', `seq ${seq} is beyond the conversation's last message (${last})`);

/** The visitor has seen the conversation up to `publicSeq` (the visitor's numbering). */
export async function visitorReadRecorder(
  ctx: DomainContext,
  conversation: Conversation,
  publicSeq: number,
): Promise<void> {
  if (publicSeq > conversation.last_public_seq) throw beyondTheLast(publicSeq, conversation.last_public_seq);
  if (publicSeq === 0) return;
  const { rows } = await sql<{ seq: number }>`
    UPDATE conversations c SET visitor_read_seq = m.seq
    FROM messages m
    WHERE c.id = ${conversation.id} AND m.conversation_id = ${conversation.id}
      AND m.public_seq = ${publicSeq} AND c.visitor_read_seq < m.seq
    RETURNING c.visitor_read_seq AS seq`.execute(ctx.db);
  const seq = rows[0]?.seq;
  if (seq === undefined) return;
  await ctx.bus.publish({
    type: 'conversation.read',
    reader: 'visitor',
    siteId: conversation.site_id,
    visitorId: conversation.visitor_id,
    receipt: { conversationId: conversation.id, seq },
  });
}

/** An operator has read the conversation up to `seq` (the operators' numbering). */
export async function operatorReadRecorder(
  ctx: DomainContext,
  conversation: Conversation,
  seq: number,
): Promise<void> {
  if (seq > conversation.last_seq) throw beyondTheLast(seq, conversation.last_seq);
  if (seq === 0) return;
  // The last public message at or before `seq`: one backward probe of the (conversation_id, seq) index.
  const { rows } = await sql<{ seq: number }>`
    UPDATE conversations c SET operator_read_seq = r.public_seq
    FROM (
      SELECT public_seq FROM messages
      WHERE conversation_id = ${conversation.id} AND seq <= ${seq} AND public_seq IS NOT NULL
      ORDER BY seq DESC LIMIT 1
    ) r
    WHERE c.id = ${conversation.id} AND c.operator_read_seq < r.public_seq
    RETURNING c.operator_read_seq AS seq`.execute(ctx.db);
  const publicSeq = rows[0]?.seq;
  if (publicSeq === undefined) return;
  await ctx.bus.publish({
    type: 'conversation.read',
    reader: 'operator',
    siteId: conversation.site_id,
    visitorId: conversation.visitor_id,
    receipt: { conversationId: conversation.id, seq: publicSeq },
  });
}
