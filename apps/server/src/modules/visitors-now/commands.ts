/**
 * The proactive chat: an operator starts a conversation with a visitor who is on the site now (from
 * "visitors now"). One transaction opens the conversation and appends the operator's first message
 * on its connection; the reply rule of append-message.ts assigns the conversation to that operator.
 * Idempotent by the operator's client id, like every operator send: a retry finds its original and
 * announces it again, whether or not the visitor is still there.
 */
import { type ConversationDTO, type MessageDTO, TRACKING_LIMITS } from '@parley/protocol';
import { sql } from 'kysely';
import type { OperatorRow, VisitorRow } from '../../db/schema.js';
import type { DomainContext } from '../context.js';
import { publishMessage } from '../conversations/commands.js';
import { type MessageWithAuthor, presentConversation, presentMessage } from '../conversations/presenter.js';
import { findConversation, findMessageByClientId } from '../conversations/queries.js';
import { conflict } from '../errors.js';
import { publishSitePresence } from '../operators/presence.js';
import { presentVisitor } from '../visitors/presenter.js';
import { getVisitorNow, getVisitorNowWithUnseen } from './queries.js';

export interface ProactiveChatProps {
  operator: Pick<OperatorRow, 'id' | 'display_name' | 'avatar_url'>;
  /** Loaded through the policy (`loadVisitorFor`): a visitor of one of the operator's sites. */
  visitor: Pick<VisitorRow, 'id' | 'site_id'>;
  clientId: string;
  text: string;
}

export interface ProactiveChatResult {
  conversation: ConversationDTO;
  message: MessageDTO;
  /** True when this client id was stored before and the original is returned. */
  duplicate: boolean;
}

/**
 * Opens a conversation with a visitor on the site now, with the operator's message. Refuses (409) a
 * visitor who is no longer on the site, or who already has an open conversation (the operator
 * answers there instead).
 */
export async function proactiveChatStarter(
  ctx: DomainContext,
  props: ProactiveChatProps,
): Promise<ProactiveChatResult> {
  const { operator, visitor } = props;
  const retried = await findMessageByClientId(ctx.db, operator.id, props.clientId);
  if (retried) return announceAgain(ctx, retried);

  const now = await getVisitorNow(ctx.db, visitor.site_id, visitor.id);
  if (!now || now.left || Date.parse(now.lastSeenAt) < Date.now() - TRACKING_LIMITS.onlineSeconds * 1000)
    throw conflict('This visitor has left the site');

  const stored = await ctx.db.transaction().execute(async (tx) => {
    const { rows } = await sql<{ id: string }>`
      INSERT INTO conversations (site_id, visitor_id, channel)
      VALUES (${visitor.site_id}, ${visitor.id}, 'chat')
      ON CONFLICT (visitor_id, (CASE WHEN status = 'open' THEN true END)) DO NOTHING
      RETURNING id`.execute(tx);
    const opened = rows[0];
    if (!opened) return null;
    const result = await ctx.messageAppender.append(
      {
        conversationId: opened.id,
        authorKind: 'operator',
        authorId: operator.id,
        clientId: props.clientId,
        text: props.text,
      },
      { tx },
    );
    if (result.kind !== 'created')
      throw new Error(`a new conversation refused its first message: ${result.kind}`);
    return result.row;
  });
  if (!stored) {
    // Either a concurrent retry of this very start won, or the visitor chats already.
    const original = await findMessageByClientId(ctx.db, operator.id, props.clientId);
    if (original) return announceAgain(ctx, original);
    throw conflict('This visitor is already chatting; answer in their conversation');
  }

  const conversation = presentConversation(stored.conversation);
  await ctx.bus.publish({
    type: 'conversation.created',
    siteId: visitor.site_id,
    visitorId: visitor.id,
    conversation,
  });
  await publishMessage(ctx, stored.message, stored.conversation);
  // The operator has one more open chat (presence counts them), and the row now says "chatting".
  await publishSitePresence(ctx, visitor.site_id);
  await publishVisitorNow(ctx, visitor.site_id, visitor.id);
  return { conversation, message: presentMessage(stored.message), duplicate: false };
}

async function announceAgain(ctx: DomainContext, original: MessageWithAuthor): Promise<ProactiveChatResult> {
  const row = await findConversation(ctx.db, original.conversation_id);
  if (!row) throw conflict('This conversation was deleted');
  await publishMessage(ctx, original, row);
  return { conversation: presentConversation(row), message: presentMessage(original), duplicate: true };
}

/** Announces a visitor's current row to the site's "visitors now" (as the tracking ingest does). */
export async function publishVisitorNow(
  ctx: DomainContext,
  siteId: string,
  visitorId: string,
): Promise<void> {
  const now = await getVisitorNow(ctx.db, siteId, visitorId);
  if (now) await ctx.bus.publish({ type: 'visitor.activity', siteId, visitorId, now });
}

/**
 * After a tracking batch: announces the visitor's row, and answers whether they have operator
 * messages unseen (the loader then brings the chat in) — one statement for both, on this hot path.
 * A chatting visitor's batch that wrote something (a page, an event: not a ping) also updates their
 * card in every console (`visitor.updated`), which then reads the dossier again.
 */
export async function publishTrackedVisitorNow(
  ctx: DomainContext,
  siteId: string,
  visitor: VisitorRow,
  wroteItems: boolean,
): Promise<{ unseen: boolean }> {
  const found = await getVisitorNowWithUnseen(ctx.db, siteId, visitor.id);
  if (!found) return { unseen: false };
  await ctx.bus.publish({ type: 'visitor.activity', siteId, visitorId: visitor.id, now: found.now });
  if (wroteItems && found.now.conversationId) {
    await ctx.bus.publish({
      type: 'visitor.updated',
      siteId,
      visitorId: visitor.id,
      visitor: presentVisitor(visitor),
    });
  }
  return { unseen: found.unseen };
}
