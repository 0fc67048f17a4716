/**
 * Handing a conversation on: transfer to a colleague or a department (with a
 * note only operators see), inviting a colleague in beside the assignee, and
 * taking a chat that escalated to everyone. The visitor sees only a neutral
 * "Anna joined the chat" with Anna's name and photo. A transfer back to an
 * operator who handed this conversation away before needs a reason: no
 * ping-pong without saying why.
 */
import type { Tx } from '../../db/database.js';
import type { DomainContext } from '../context.js';
import {
  type ConversationWithVisitor,
  presentConversation,
  presentMessage,
} from '../conversations/presenter.js';
import { findConversation, listMessages } from '../conversations/queries.js';
import { badRequest, conflict, notFound } from '../errors.js';
import { publishSitePresence } from '../operators/presence.js';
import type { OperatorActor } from '../policy/actors.js';
import { worksOnSite } from '../sites/queries.js';
import { publishConversationById } from './announce.js';
import { routeSiteQuietly } from './assigner.js';
import { joinedLine } from './join-line.js';
import { publishQueue } from './queue.js';

/** The ESCALATION_LEVELS index at which every online operator of the site may take a chat. */
const OPEN_TO_ALL = 2;

/** An operator who works on the site: granted it, or an owner or admin (who work on every site). */
async function siteOperator(tx: Tx, siteId: string, operatorId: string) {
  const operator = await tx
    .selectFrom('operators')
    .select(['operators.id', 'operators.display_name'])
    .where('operators.id', '=', operatorId)
    .where(worksOnSite(siteId))
    .executeTakeFirst();
  if (!operator) throw notFound('Operator');
  return operator;
}

async function appendLine(
  ctx: DomainContext,
  tx: Tx,
  conversationId: string,
  line:
    | { kind: 'note'; authorId: string; text: string }
    | { kind: 'joined'; operatorId: string; text: string },
): Promise<void> {
  const result = await ctx.messageAppender.append(
    line.kind === 'note'
      ? {
          conversationId,
          authorKind: 'operator',
          authorId: line.authorId,
          clientId: null,
          text: line.text,
          visibility: 'internal',
        }
      : { conversationId, authorKind: 'system', authorId: line.operatorId, clientId: null, text: line.text },
    { tx },
  );
  if (result.kind !== 'created') throw conflict('This conversation is closed; reopen it first');
}

/** Announces the lines just stored and the conversation's new row. */
async function announce(ctx: DomainContext, conversation: ConversationWithVisitor, fromSeq: number) {
  const row = await findConversation(ctx.db, conversation.id);
  if (!row) return;
  const { rows } = await listMessages(ctx.db, conversation.id, { afterSeq: fromSeq, limit: 10 });
  for (const message of rows)
    await ctx.bus.publish({
      type: 'message.created',
      siteId: row.site_id,
      visitorId: row.visitor_id,
      message: presentMessage(message),
      publicSeq: message.public_seq,
      conversation: presentConversation(row),
    });
  await publishConversationById(ctx, conversation.id);
  await publishSitePresence(ctx, row.site_id);
}

async function visitorLanguage(tx: Tx, visitorId: string): Promise<string | null> {
  const visitor = await tx
    .selectFrom('visitors')
    .select('language')
    .where('id', '=', visitorId)
    .executeTakeFirst();
  return visitor?.language ?? null;
}

export interface TransferProps {
  actor: OperatorActor;
  conversation: ConversationWithVisitor;
  toOperatorId?: string;
  toDepartmentId?: string;
  note?: string;
  reason?: string;
}

/**
 * Transfers a conversation. To a colleague: they become the assignee (their
 * limit does not stop a person's choice). To a department: it goes back to
 * the queue for that department and the router assigns it within. The note
 * (and a reason) is stored as an internal message; the transfer is recorded.
 */
export async function conversationTransferrer(ctx: DomainContext, props: TransferProps): Promise<void> {
  const { actor, conversation } = props;
  if (conversation.status !== 'open') throw conflict('This conversation is closed; reopen it first');
  const fromSeq = conversation.last_seq;
  await ctx.db.transaction().execute(async (tx) => {
    const locked = await tx
      .selectFrom('conversations')
      .select(['assignee_id', 'participant_ids', 'status'])
      .where('id', '=', conversation.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (locked.status !== 'open') throw conflict('This conversation is closed; reopen it first');
    const reason = props.reason?.trim() || null;
    if (props.toOperatorId) {
      const target = await siteOperator(tx, conversation.site_id, props.toOperatorId);
      if (target.id === locked.assignee_id) throw conflict('This conversation is already theirs');
      const handedAwayBefore = await tx
        .selectFrom('conversation_transfers')
        .select('id')
        .where('conversation_id', '=', conversation.id)
        .where('from_operator_id', '=', target.id)
        .executeTakeFirst();
      if (handedAwayBefore && !reason)
        throw badRequest(`${target.display_name} handed this conversation on before: say why it goes back`);
      await tx
        .updateTable('conversations')
        .set({
          assignee_id: target.id,
          assigned_at: new Date(),
          escalation: 0,
          participant_ids: locked.participant_ids.filter((id) => id !== target.id),
        })
        .where('id', '=', conversation.id)
        .execute();
      await writeNote(ctx, tx, conversation.id, actor.operatorId, props.note, reason);
      await appendLine(ctx, tx, conversation.id, {
        kind: 'joined',
        operatorId: target.id,
        text: joinedLine(target.display_name, await visitorLanguage(tx, conversation.visitor_id)),
      });
    } else {
      const department = await tx
        .selectFrom('departments')
        .select('id')
        .where('id', '=', props.toDepartmentId ?? '')
        .where('site_id', '=', conversation.site_id)
        .executeTakeFirst();
      if (!department) throw notFound('Department');
      await tx
        .updateTable('conversations')
        .set({ assignee_id: null, assigned_at: null, department_id: department.id, escalation: 0 })
        .where('id', '=', conversation.id)
        .execute();
      await writeNote(ctx, tx, conversation.id, actor.operatorId, props.note, reason);
    }
    await tx
      .insertInto('conversation_transfers')
      .values({
        conversation_id: conversation.id,
        from_operator_id: locked.assignee_id ?? actor.operatorId,
        to_operator_id: props.toOperatorId ?? null,
        to_department_id: props.toDepartmentId ?? null,
        reason,
      })
      .execute();
  });
  await announce(ctx, conversation, fromSeq);
  // A department transfer queues the chat; the old assignee also has a slot free now.
  await routeSiteQuietly(ctx, conversation.site_id);
}

async function writeNote(
  ctx: DomainContext,
  tx: Tx,
  conversationId: string,
  authorId: string,
  note: string | undefined,
  reason: string | null,
): Promise<void> {
  const text = [note?.trim(), reason].filter(Boolean).join('\n\n');
  if (text) await appendLine(ctx, tx, conversationId, { kind: 'note', authorId, text });
}

/** Invites a colleague in beside the assignee: they see and reply; the visitor sees them join. */
export async function conversationInviter(
  ctx: DomainContext,
  conversation: ConversationWithVisitor,
  operatorId: string,
): Promise<void> {
  if (conversation.status !== 'open') throw conflict('This conversation is closed; reopen it first');
  const fromSeq = conversation.last_seq;
  await ctx.db.transaction().execute(async (tx) => {
    const target = await siteOperator(tx, conversation.site_id, operatorId);
    const updated = await tx
      .updateTable('conversations')
      .set((eb) => ({ participant_ids: eb.fn('array_append', ['participant_ids', eb.val(target.id)]) }))
      .where('id', '=', conversation.id)
      .where('status', '=', 'open')
      .where((eb) =>
        eb.and([
          eb.or([eb('assignee_id', 'is', null), eb('assignee_id', '!=', target.id)]),
          eb.not(eb(eb.val(target.id), '=', eb.fn.any('participant_ids'))),
        ]),
      )
      .executeTakeFirst();
    // Already in (the assignee, or invited before): nothing to do, and nothing to tell the visitor.
    if (Number(updated.numUpdatedRows) === 0) return;
    await appendLine(ctx, tx, conversation.id, {
      kind: 'joined',
      operatorId: target.id,
      text: joinedLine(target.display_name, await visitorLanguage(tx, conversation.visitor_id)),
    });
  });
  await announce(ctx, conversation, fromSeq);
}

/**
 * The operator takes a chat: one nobody has, or one escalated to every
 * online operator of the site. Someone else's chat that has not escalated
 * is theirs to keep (a transfer is how it moves).
 */
export async function conversationTaker(
  ctx: DomainContext,
  actor: OperatorActor,
  conversation: ConversationWithVisitor,
): Promise<void> {
  const fromSeq = conversation.last_seq;
  const previous = conversation.assignee_id;
  await ctx.db.transaction().execute(async (tx) => {
    const taken = await tx
      .updateTable('conversations')
      .set({ assignee_id: actor.operatorId, assigned_at: new Date(), escalation: 0 })
      .where('id', '=', conversation.id)
      .where('status', '=', 'open')
      .where((eb) => eb.or([eb('assignee_id', 'is', null), eb('escalation', '>=', OPEN_TO_ALL)]))
      .where((eb) => eb.or([eb('assignee_id', 'is', null), eb('assignee_id', '!=', actor.operatorId)]))
      .executeTakeFirst();
    if (Number(taken.numUpdatedRows) === 0)
      throw conflict('This conversation is someone else’s; ask them to transfer it');
    const me = await siteOperator(tx, conversation.site_id, actor.operatorId);
    if (previous) {
      await tx
        .insertInto('conversation_transfers')
        .values({ conversation_id: conversation.id, from_operator_id: previous, to_operator_id: me.id })
        .execute();
      await appendLine(ctx, tx, conversation.id, {
        kind: 'joined',
        operatorId: me.id,
        text: joinedLine(me.display_name, await visitorLanguage(tx, conversation.visitor_id)),
      });
    }
  });
  await announce(ctx, conversation, fromSeq);
  await publishQueue(ctx, conversation.site_id, [{ conversationId: conversation.id }]);
}
