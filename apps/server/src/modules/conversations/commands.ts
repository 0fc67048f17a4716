/**
 * Writes of conversations: sending messages (visitor and operator), offline
 * requests, closing and reopening. Each announces what happened on the event
 * bus after its writes are committed, never before.
 */
import type { ConversationDTO, MessageDTO } from '@parley/protocol';
import { sql } from 'kysely';
import type { Queryable } from '../../db/database.js';
import type { MessageRow, OperatorRow } from '../../db/schema.js';
import type { DomainContext } from '../context.js';
import { conflict, isUniqueViolation, notFound } from '../errors.js';
import { publishSitePresence } from '../operators/presence.js';
import {
  type ConversationWithVisitor,
  type MessageWithAuthor,
  presentConversation,
  presentMessage,
} from './presenter.js';
import { findConversation, findMessageByClientId } from './queries.js';

export interface SendResult {
  message: MessageDTO;
  /** True when this client id was stored before and the original is returned. */
  duplicate: boolean;
}

interface VisitorRef {
  siteId: string;
  visitorId: string;
}

/**
 * The visitor's open conversation, opened if there is none, in one round
 * trip. It opens nothing when `clientId` is a message stored before (a retry
 * of a send whose conversation has closed since must not open an empty new
 * one), nor when a concurrent send opened one first (the partial unique index
 * makes concurrent first messages converge): then it returns undefined and
 * the caller finds out which.
 */
async function findOrOpenConversation(
  db: Queryable,
  visitor: VisitorRef,
  channel: ConversationDTO['channel'],
  clientId: string,
): Promise<{ id: string; created: boolean } | undefined> {
  const { rows } = await sql<{ id: string; created: boolean }>`
    WITH open AS (
      SELECT id FROM conversations WHERE visitor_id = ${visitor.visitorId} AND status = 'open'
    ),
    opened AS (
      INSERT INTO conversations (site_id, visitor_id, channel)
      SELECT ${visitor.siteId}, ${visitor.visitorId}, ${channel}
      WHERE NOT EXISTS (SELECT 1 FROM open)
        AND NOT EXISTS (
          SELECT 1 FROM messages
          WHERE author_id = ${visitor.visitorId} AND client_id = ${clientId} AND client_id IS NOT NULL
        )
      ON CONFLICT (visitor_id) WHERE status = 'open' DO NOTHING
      RETURNING id
    )
    SELECT id, false AS created FROM open
    UNION ALL
    SELECT id, true AS created FROM opened`.execute(db);
  return rows[0];
}

async function loadDuplicate(db: Queryable, authorId: string, clientId: string): Promise<SendResult> {
  const original = await findMessageByClientId(db, authorId, clientId);
  if (!original) throw new Error('duplicate client id without an original message');
  return { message: presentMessage(original), duplicate: true };
}

export interface VisitorMessageProps extends VisitorRef {
  clientId: string;
  text: string;
  channel?: ConversationDTO['channel'];
  /**
   * The conversation this visitor last wrote to, if the caller remembers it (a socket does):
   * saves the lookup on every message; if it has been closed meanwhile, the usual path runs.
   */
  conversationHint?: string | null;
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
  if (props.conversationHint) {
    const result = await append(props.conversationHint);
    if (result.kind === 'duplicate') return loadDuplicate(ctx.db, props.visitorId, props.clientId);
    if (result.kind === 'created') return announceVisitorMessage(ctx, props, result.row, false);
  }
  // A few attempts: the conversation may be closed between finding it and appending.
  for (let attempt = 0; attempt < 3; attempt++) {
    const conversation = await findOrOpenConversation(ctx.db, props, props.channel ?? 'chat', props.clientId);
    if (!conversation) {
      const original = await findMessageByClientId(ctx.db, props.visitorId, props.clientId);
      if (original) return { message: presentMessage(original), duplicate: true };
      continue; // Another send opened a conversation just now: the next attempt finds it.
    }
    const result = await append(conversation.id);
    if (result.kind === 'duplicate') return loadDuplicate(ctx.db, props.visitorId, props.clientId);
    if (result.kind === 'created')
      return announceVisitorMessage(ctx, props, result.row, conversation.created);
  }
  throw conflict('The conversation keeps closing; try again');
}

async function announceVisitorMessage(
  ctx: DomainContext,
  visitor: VisitorRef,
  row: MessageRow,
  conversationCreated: boolean,
): Promise<SendResult> {
  const message = presentMessage({ ...row, author_name: null, author_avatar_url: null });
  if (conversationCreated) {
    const fresh = await findConversation(ctx.db, row.conversation_id);
    if (fresh) await publishConversation(ctx, 'conversation.created', fresh);
  }
  await ctx.bus.publish({
    type: 'message.created',
    siteId: visitor.siteId,
    visitorId: visitor.visitorId,
    message,
  });
  return { message, duplicate: false };
}

export interface OperatorMessageProps {
  operator: Pick<OperatorRow, 'id' | 'display_name' | 'avatar_url'>;
  conversation: ConversationWithVisitor;
  clientId: string;
  text: string;
}

/** An operator's reply. The first reply to an unassigned conversation assigns it to the replier. */
export async function operatorMessageCreator(
  ctx: DomainContext,
  props: OperatorMessageProps,
): Promise<SendResult> {
  const { operator, conversation } = props;
  const result = await ctx.messageAppender.append({
    conversationId: conversation.id,
    authorKind: 'operator',
    authorId: operator.id,
    clientId: props.clientId,
    text: props.text,
  });
  if (result.kind === 'duplicate') return loadDuplicate(ctx.db, operator.id, props.clientId);
  if (result.kind === 'not_open') {
    // A retry of a message stored before the conversation closed is still a success.
    const original = await findMessageByClientId(ctx.db, operator.id, props.clientId);
    if (original) return { message: presentMessage(original), duplicate: true };
    throw conflict('This conversation is closed; reopen it to reply');
  }
  const row: MessageWithAuthor = {
    ...result.row,
    author_name: operator.display_name,
    author_avatar_url: operator.avatar_url,
  };
  const message = presentMessage(row);
  const scope = { siteId: conversation.site_id, visitorId: conversation.visitor_id };
  await ctx.bus.publish({ type: 'message.created', ...scope, message });
  if (conversation.assignee_id === null) {
    // The first reply assigned the conversation: the list shows whose it is, presence counts it.
    const fresh = await findConversation(ctx.db, conversation.id);
    if (fresh) await publishConversation(ctx, 'conversation.updated', fresh);
    await publishSitePresence(ctx, conversation.site_id);
  }
  return { message, duplicate: false };
}

export interface OfflineRequestProps extends VisitorRef {
  clientId: string;
  email: string;
  phone: string | null;
  text: string;
}

/**
 * A request left while nobody was online: the contacts go on the visitor, the
 * text becomes a message of an "offline request" conversation (or of the
 * visitor's open one), so operators answer it like any chat.
 */
export async function offlineRequestCreator(
  ctx: DomainContext,
  props: OfflineRequestProps,
): Promise<SendResult & { conversationId: string }> {
  await ctx.db
    .updateTable('visitors')
    .set({ email: props.email, ...(props.phone && { phone: props.phone }) })
    .where('id', '=', props.visitorId)
    .execute();
  const result = await visitorMessageCreator(ctx, { ...props, channel: 'offline_request' });
  return { ...result, conversationId: result.message.conversationId };
}

export type ConversationStatusChange = 'close' | 'reopen';

/** Closes or reopens a conversation. Reopening fails while the visitor has another open one. */
export async function conversationStatusChanger(
  ctx: DomainContext,
  conversationId: string,
  change: ConversationStatusChange,
): Promise<ConversationDTO> {
  try {
    const updated = await ctx.db
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
    const conversation = await findConversation(ctx.db, conversationId);
    if (!conversation) throw notFound('Conversation');
    if (updated) {
      await publishConversation(ctx, 'conversation.updated', conversation);
      // Open-chat counts in presence change with the status of an assigned conversation.
      if (conversation.assignee_id) await publishSitePresence(ctx, conversation.site_id);
    }
    return presentConversation(conversation);
  } catch (error) {
    if (isUniqueViolation(error, 'conversations_one_open_per_visitor')) {
      throw conflict('This visitor already has an open conversation');
    }
    throw error;
  }
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
