/**
 * Writes of conversations: sending messages (visitor and operator, replies
 * and notes), offline requests, closing and reopening. Each announces what
 * happened on the event bus after its writes are committed, never before; a
 * retried message is announced again (see `reannounced`).
 */
import type { ConversationDTO, MessageDTO, Visibility } from '@parley/protocol';
import { sql } from 'kysely';
import type { Queryable } from '../../db/database.js';
import type { OperatorRow } from '../../db/schema.js';
import type { DomainContext } from '../context.js';
import { conflict, isUniqueViolation, notFound } from '../errors.js';
import { offlineRequestNoticesQueuer, transcriptOnCloseQueuer } from '../mail/outgoing/queue.js';
import { mentionRecorder } from '../mentions/commands.js';
import { publishSitePresence } from '../operators/presence.js';
import { routeSiteQuietly } from '../routing/assigner.js';
import { publishQueue } from '../routing/queue.js';
import { presentConversationWithTags } from '../tags/conversations-with-tags.js';
import type { AppendedMessage } from './append-message.js';
import {
  type ConversationWithVisitor,
  type MessageWithAuthor,
  presentConversation,
  presentMessage,
  presentMessageToVisitor,
} from './presenter.js';
import { findConversation, findMessageByClientId } from './queries.js';

export interface SendResult {
  /** The message as its sender sees it: in the visitor's numbering for a visitor. */
  message: MessageDTO;
  /** True when this client id was stored before and the original is returned. */
  duplicate: boolean;
}

export interface VisitorRef {
  siteId: string;
  visitorId: string;
}

/**
 * The visitor's open conversation, opened if there is none, in one round
 * trip. It opens nothing when `clientId` is a message stored before (a retry
 * of a send whose conversation has closed since must not open an empty new
 * one), nor when a concurrent send opened one first (the unique index on the
 * visitor and an open-only marker, migration 008, makes concurrent first
 * messages converge): then it returns undefined and
 * the caller finds out which.
 */
export async function findOrOpenConversation(
  db: Queryable,
  visitor: VisitorRef,
  channel: ConversationDTO['channel'],
  clientId: string,
  departmentId: string | null = null,
): Promise<{ id: string; created: boolean } | undefined> {
  const { rows } = await sql<{ id: string; created: boolean }>`
    WITH open AS (
      SELECT id FROM conversations WHERE visitor_id = ${visitor.visitorId} AND status = 'open'
    ),
    opened AS (
      INSERT INTO conversations (site_id, visitor_id, channel, department_id)
      SELECT ${visitor.siteId}, ${visitor.visitorId}, ${channel}, ${departmentId}::uuid
      WHERE NOT EXISTS (SELECT 1 FROM open)
        AND NOT EXISTS (
          SELECT 1 FROM messages
          WHERE author_id = ${visitor.visitorId} AND client_id = ${clientId} AND client_id IS NOT NULL
        )
      ON CONFLICT (visitor_id, (CASE WHEN status = 'open' THEN true END)) DO NOTHING
      RETURNING id
    )
    SELECT id, false AS created FROM open
    UNION ALL
    SELECT id, true AS created FROM opened`.execute(db);
  return rows[0];
}

/** Who sees a message: the operators' view, or the visitor's own (notes are never a visitor's). */
export type Viewer = 'operator' | 'visitor';

const viewFor = (viewer: Viewer, row: MessageWithAuthor): MessageDTO =>
  viewer === 'visitor' ? presentMessageToVisitor(row) : presentMessage(row);

/** Announces a stored message with its conversation's row: every node's gateway fans it out by audience. */
export async function publishMessage(
  ctx: DomainContext,
  message: MessageWithAuthor,
  conversation: ConversationWithVisitor,
): Promise<void> {
  await ctx.bus.publish({
    type: 'message.created',
    siteId: conversation.site_id,
    visitorId: conversation.visitor_id,
    message: presentMessage(message),
    publicSeq: message.public_seq,
    conversation: presentConversation(conversation),
  });
}

/**
 * A retry of a message stored before: the original, announced again. Its
 * first announcement may have been lost after the commit (the node died, the
 * bus was away); clients drop what they already have by id and seq, so
 * announcing twice costs a frame and announcing never loses a message.
 */
export async function reannounced(
  ctx: DomainContext,
  viewer: Viewer,
  original: MessageWithAuthor,
): Promise<SendResult> {
  const conversation = await findConversation(ctx.db, original.conversation_id);
  if (conversation) await publishMessage(ctx, original, conversation);
  return { message: viewFor(viewer, original), duplicate: true };
}

export async function findOriginal(
  db: Queryable,
  authorId: string,
  clientId: string,
): Promise<MessageWithAuthor> {
  const original = await findMessageByClientId(db, authorId, clientId);
  if (!original) throw new Error('duplicate client id without an original message');
  return original;
}

export interface VisitorMessageProps extends VisitorRef {
  clientId: string;
  text: string;
  /**
   * The conversation this visitor last wrote to, if the caller remembers it (a socket does):
   * saves the lookup on every message; if it has been closed meanwhile, the usual path runs.
   */
  conversationHint?: string | null;
  /** The department the visitor picked (routing): used when this message opens a conversation. */
  departmentId?: string;
}

/**
 * A visitor's message: goes to their open conversation, opening one if needed
 * (a new conversation after the last was closed).
 */
export async function visitorMessageCreator(
  ctx: DomainContext,
  props: VisitorMessageProps,
): Promise<SendResult> {
  const append = (conversationId: string) =>
    ctx.messageAppender.append({
      conversationId,
      authorKind: 'visitor',
      authorId: props.visitorId,
      clientId: props.clientId,
      text: props.text,
    });
  const retried = async () =>
    reannounced(ctx, 'visitor', await findOriginal(ctx.db, props.visitorId, props.clientId));
  const departmentId = props.departmentId
    ? await departmentOfSite(ctx, props.siteId, props.departmentId)
    : null;
  if (props.conversationHint) {
    const result = await append(props.conversationHint);
    if (result.kind === 'duplicate') return retried();
    if (result.kind === 'created') return announceVisitorMessage(ctx, result.row, false);
  }
  // A few attempts: the conversation may be closed between finding it and appending.
  for (let attempt = 0; attempt < 3; attempt++) {
    const conversation = await findOrOpenConversation(ctx.db, props, 'chat', props.clientId, departmentId);
    if (!conversation) {
      const original = await findMessageByClientId(ctx.db, props.visitorId, props.clientId);
      if (original) return reannounced(ctx, 'visitor', original);
      continue; // Another send opened a conversation just now: the next attempt finds it.
    }
    const result = await append(conversation.id);
    if (result.kind === 'duplicate') return retried();
    if (result.kind === 'created') return announceVisitorMessage(ctx, result.row, conversation.created);
  }
  throw conflict('The conversation keeps closing; try again');
}

export async function announceVisitorMessage(
  ctx: DomainContext,
  stored: AppendedMessage,
  conversationCreated: boolean,
): Promise<SendResult> {
  if (conversationCreated) await publishConversation(ctx, 'conversation.created', stored.conversation);
  await publishMessage(ctx, stored.message, stored.conversation);
  // Routing runs once per conversation, on its first visitor message, never on the others.
  if (conversationCreated && stored.conversation.channel === 'chat')
    await routeSiteQuietly(ctx, stored.conversation.site_id, stored.conversation.id);
  return { message: presentMessageToVisitor(stored.message), duplicate: false };
}

export interface OperatorMessageProps {
  operator: Pick<OperatorRow, 'id' | 'display_name' | 'avatar_url'>;
  conversation: ConversationWithVisitor;
  clientId: string;
  text: string;
  /** `internal` for a note to colleagues; public (a reply the visitor sees) by default. */
  visibility?: Visibility;
}

/**
 * An operator's reply, or note. The first public reply to an unassigned
 * conversation assigns it to the replier (see append-message.ts for what each
 * does to the conversation's row).
 */
export async function operatorMessageCreator(
  ctx: DomainContext,
  props: OperatorMessageProps,
): Promise<SendResult> {
  const result = await storeOperatorMessage(ctx, props);
  // After a retry too: mentions are idempotent, and one lost with a crash after the commit is made good.
  await mentionRecorder(ctx, props.conversation.site_id, result.message);
  return result;
}

async function storeOperatorMessage(ctx: DomainContext, props: OperatorMessageProps): Promise<SendResult> {
  const { operator, conversation } = props;
  const result = await ctx.messageAppender.append({
    conversationId: conversation.id,
    authorKind: 'operator',
    authorId: operator.id,
    clientId: props.clientId,
    text: props.text,
    visibility: props.visibility ?? 'public',
  });
  if (result.kind === 'duplicate')
    return reannounced(ctx, 'operator', await findOriginal(ctx.db, operator.id, props.clientId));
  if (result.kind === 'not_open') {
    // A retry of a message stored before the conversation closed is still a success.
    const original = await findMessageByClientId(ctx.db, operator.id, props.clientId);
    if (original) return reannounced(ctx, 'operator', original);
    throw conflict('This conversation is closed; reopen it to reply');
  }
  const stored = result.row;
  await publishMessage(ctx, stored.message, stored.conversation);
  // The reply assigned the conversation (picked from the queue): presence counts open conversations
  // per assignee, and the visitors still waiting move up.
  if (stored.conversation.assignee_id !== conversation.assignee_id)
    await publishQueue(ctx, conversation.site_id, [{ conversationId: conversation.id }]);
  return { message: presentMessage(stored.message), duplicate: false };
}

export interface OfflineRequestProps extends VisitorRef {
  clientId: string;
  email: string;
  phone: string | null;
  text: string;
}

type OfflineOutcome =
  | { kind: 'created'; stored: AppendedMessage; conversationCreated: boolean }
  | { kind: 'duplicate'; original: MessageWithAuthor };

/**
 * A request left while nobody was online: the contacts go on the visitor, the
 * text becomes a message of an "offline request" conversation (or of the
 * visitor's open one), so operators answer it like any chat. One transaction:
 * contacts without their request, or a request without its contacts, never
 * stay behind.
 */
export async function offlineRequestCreator(
  ctx: DomainContext,
  props: OfflineRequestProps,
): Promise<SendResult & { conversationId: string }> {
  const outcome = await ctx.db.transaction().execute(async (tx): Promise<OfflineOutcome> => {
    await tx
      .updateTable('visitors')
      .set({ email: props.email, ...(props.phone && { phone: props.phone }) })
      .where('id', '=', props.visitorId)
      .execute();
    // A few attempts: the conversation may be closed between finding it and appending.
    for (let attempt = 0; attempt < 3; attempt++) {
      const conversation = await findOrOpenConversation(tx, props, 'offline_request', props.clientId);
      if (!conversation) {
        const original = await findMessageByClientId(tx, props.visitorId, props.clientId);
        if (original) return { kind: 'duplicate', original };
        continue; // Another send opened a conversation just now: the next attempt finds it.
      }
      const result = await ctx.messageAppender.append(
        {
          conversationId: conversation.id,
          authorKind: 'visitor',
          authorId: props.visitorId,
          clientId: props.clientId,
          text: props.text,
        },
        { tx },
      );
      if (result.kind === 'created') {
        // Operators who asked for it hear of a new request by email, once, with the request itself.
        if (conversation.created) await offlineRequestNoticesQueuer(tx, conversation.id);
        return { kind: 'created', stored: result.row, conversationCreated: conversation.created };
      }
      if (result.kind === 'duplicate')
        return { kind: 'duplicate', original: await findOriginal(tx, props.visitorId, props.clientId) };
    }
    throw conflict('The conversation keeps closing; try again');
  });
  const result =
    outcome.kind === 'created'
      ? await announceVisitorMessage(ctx, outcome.stored, outcome.conversationCreated)
      : await reannounced(ctx, 'visitor', outcome.original);
  return { ...result, conversationId: result.message.conversationId };
}

export type ConversationStatusChange = 'close' | 'reopen';

/**
 * Closes or reopens a conversation. Reopening fails while the visitor has another open one.
 * Closing may record a reason: a tag of the conversation's site (checked by the caller, see
 * `closeReasonOf`), put on the conversation and marked as the reason, in the same transaction.
 */
export async function conversationStatusChanger(
  ctx: DomainContext,
  conversationId: string,
  change: ConversationStatusChange,
  reason?: { tagId: string; operatorId: string },
): Promise<ConversationDTO> {
  try {
    const updated = await ctx.db.transaction().execute(async (tx) => {
      const row = await tx
        .updateTable('conversations')
        .set(
          change === 'close'
            ? // Closing settles the conversation: nothing waits in it any more, before or after a reopen.
              { status: 'closed', closed_at: new Date(), waiting_since: null, unanswered_count: 0 }
            : { status: 'open', closed_at: null, last_activity_at: new Date() },
        )
        .where('id', '=', conversationId)
        .where('status', '=', change === 'close' ? 'open' : 'closed')
        .returning('id')
        .executeTakeFirst();
      // The site may send the visitor the conversation when it closes (their email known, notes never).
      if (row && change === 'close') await transcriptOnCloseQueuer(tx, conversationId);
      if (row && change === 'close' && reason) {
        // A conversation closed again after a reopen has the latest reason only.
        await tx
          .updateTable('conversation_tags')
          .set({ close_reason: false })
          .where('conversation_id', '=', conversationId)
          .where('close_reason', '=', true)
          .execute();
        await tx
          .insertInto('conversation_tags')
          .values({
            conversation_id: conversationId,
            tag_id: reason.tagId,
            added_by: reason.operatorId,
            close_reason: true,
          })
          .onConflict((oc) => oc.columns(['conversation_id', 'tag_id']).doUpdateSet({ close_reason: true }))
          .execute();
      }
      return row;
    });
    const conversation = await findConversation(ctx.db, conversationId);
    if (!conversation) throw notFound('Conversation');
    const presented = await presentConversationWithTags(ctx.db, conversation);
    if (updated) {
      await ctx.bus.publish({
        type: 'conversation.updated',
        siteId: conversation.site_id,
        visitorId: conversation.visitor_id,
        conversation: presented,
      });
      // Open-chat counts in presence change with the status of an assigned conversation.
      if (conversation.assignee_id) await publishSitePresence(ctx, conversation.site_id);
      // A closed chat frees its operator's slot (and leaves the queue): the oldest waiting chat goes next.
      if (change === 'close') await routeSiteQuietly(ctx, conversation.site_id);
    }
    return presented;
  } catch (error) {
    if (isUniqueViolation(error, 'conversations_one_open_per_visitor')) {
      throw conflict('This visitor already has an open conversation');
    }
    throw error;
  }
}

/** The visitor's department pick, checked to be of their site (another site's is "not found"). */
export async function departmentOfSite(
  ctx: DomainContext,
  siteId: string,
  departmentId: string,
): Promise<string> {
  const department = await ctx.db
    .selectFrom('departments')
    .select('id')
    .where('id', '=', departmentId)
    .where('site_id', '=', siteId)
    .executeTakeFirst();
  if (!department) throw notFound('Department');
  return department.id;
}

async function publishConversation(
  ctx: DomainContext,
  type: 'conversation.created' | 'conversation.updated',
  row: ConversationWithVisitor,
): Promise<void> {
  await ctx.bus.publish({
    type,
    siteId: row.site_id,
    visitorId: row.visitor_id,
    conversation: presentConversation(row),
  });
}
