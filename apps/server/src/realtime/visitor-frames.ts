/**
 * What a visitor's socket can do: each frame type of the protocol mapped to
 * the domain. A visitor acts only on its own conversations: frames without an
 * id act on the visitor's open one, and an id is checked by the policy.
 * Everything it answers is the visitor's view: public messages only, in the
 * visitor's numbering.
 */
import type { VisitorClientFrames } from '@parley/protocol';
import type { DomainContext } from '../modules/context.js';
import { visitorMessageCreator } from '../modules/conversations/commands.js';
import { presentMessageToVisitor } from '../modules/conversations/presenter.js';
import { findOpenConversationOfVisitor, listVisitorMessages } from '../modules/conversations/queries.js';
import { typingAnnouncer } from '../modules/conversations/typing.js';
import { rateLimited } from '../modules/errors.js';
import { loadOwnConversation } from '../modules/policy/access.js';
import type { VisitorActor } from '../modules/policy/actors.js';
import { visitorPageRecorder } from '../modules/visitors/commands.js';
import type { RateLimiter } from '../rate-limit/rate-limiter.js';
import type { FrameHandlers } from './connection.js';

/** Messages per `conversation.sync` answer; clients page by the ack's `hasMore`, never by this number. */
export const SYNC_PAGE_SIZE = 500;
/**
 * Page changes a visitor may report per minute. A person browsing stays far
 * below; a page whose title ticks like a clock would otherwise cost a write
 * and a fan-out to every operator each second, for as long as it is open.
 */
export const PAGE_UPDATES_PER_MINUTE = 30;

export interface VisitorFrameDeps {
  ctx: DomainContext;
  rateLimiter: RateLimiter;
  messagesPerMinute: number;
}

export function visitorFrameHandlers(
  deps: VisitorFrameDeps,
  visitor: VisitorActor,
): FrameHandlers<VisitorClientFrames> {
  const { ctx } = deps;
  // The conversation this socket last wrote to: spares a lookup per message.
  let conversationHint: string | null = null;
  return {
    async 'message.send'({ clientId, text }) {
      if (
        !(await deps.rateLimiter.hit(`visitor-message:${visitor.visitorId}`, deps.messagesPerMinute, 60_000))
      ) {
        throw rateLimited('You are sending messages too fast; wait a moment');
      }
      const { message } = await visitorMessageCreator(ctx, {
        visitorId: visitor.visitorId,
        siteId: visitor.siteId,
        clientId,
        text,
        conversationHint,
      });
      conversationHint = message.conversationId;
      return { message };
    },
    async 'conversation.sync'({ conversationId, afterSeq }) {
      await loadOwnConversation(ctx.db, visitor, conversationId);
      // afterSeq is in the visitor's own numbering; notes are not selected at all.
      const { rows, hasMore } = await listVisitorMessages(ctx.db, conversationId, {
        afterSeq,
        limit: SYNC_PAGE_SIZE,
      });
      return { messages: rows.map(presentMessageToVisitor), hasMore };
    },
    async 'typing.set'({ typing, preview }) {
      const conversation = await findOpenConversationOfVisitor(ctx.db, visitor.visitorId);
      if (conversation)
        await typingAnnouncer(ctx, conversation, typing, { kind: 'visitor', preview: preview ?? null });
      return {};
    },
    async 'visitor.page'({ url, title }) {
      if (
        !(await deps.rateLimiter.hit(`visitor-page:${visitor.visitorId}`, PAGE_UPDATES_PER_MINUTE, 60_000))
      ) {
        throw rateLimited('This page changes too often to follow; later changes will be shown');
      }
      await visitorPageRecorder(ctx, visitor.visitorId, { url, title: title ?? null });
      return {};
    },
  };
}
