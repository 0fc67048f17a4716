/**
 * What a visitor's socket can do: each frame type of the protocol mapped to
 * the domain. A visitor acts only on its own conversations: frames without an
 * id act on the visitor's open one, and an id is checked by the policy.
 * Everything it answers is the visitor's view: public messages only, in the
 * visitor's numbering.
 */
import { RATE_LIMITS, type VisitorClientFrames } from '@parley/protocol';
import type { Logger } from '../logger.js';
import type { DomainContext } from '../modules/context.js';
import { visitorMessageCreator } from '../modules/conversations/commands.js';
import { visitorFileMessageCreator } from '../modules/conversations/file-messages.js';
import { presentMessageToVisitor } from '../modules/conversations/presenter.js';
import { listVisitorMessages } from '../modules/conversations/queries.js';
import { visitorReadRecorder } from '../modules/conversations/read-receipts.js';
import { visitorTypingAnnouncer } from '../modules/conversations/typing.js';
import { rateLimited } from '../modules/errors.js';
import { loadOwnConversation } from '../modules/policy/access.js';
import type { VisitorActor } from '../modules/policy/actors.js';
import { visitorPageRecorder } from '../modules/visitors/commands.js';
import { publishVisitorNow } from '../modules/visitors-now/commands.js';
import type { RateLimiter } from '../rate-limit/rate-limiter.js';
import {
  type SpentBudget,
  spendVisitorMessage,
  type VisitorBudgetLimits,
} from '../rate-limit/visitor-budgets.js';
import type { FrameHandlers } from './connection.js';
import { intervalForRate, TypingCoalescer } from './typing-coalescer.js';

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
  budgets: VisitorBudgetLimits;
  log: Logger;
}

/** The refusal a visitor reads when a message budget is spent, by whose budget it was. */
export const MESSAGE_REFUSALS: Record<SpentBudget, string> = {
  visitor: 'You are sending messages too fast; wait a moment',
  ip: 'Too many messages from your network; wait a moment',
  site: 'This site is receiving too many messages right now; wait a moment',
};

export function visitorFrameHandlers(
  deps: VisitorFrameDeps,
  /** The visitor, with the address the socket came from (for the per-IP budget). */
  visitor: VisitorActor & { ip: string },
): FrameHandlers<VisitorClientFrames> {
  const { ctx } = deps;
  // The conversation this socket last wrote to: spares a lookup per message.
  let conversationHint: string | null = null;
  const typing = new TypingCoalescer<{ typing: boolean; preview: string | null }>(
    intervalForRate(RATE_LIMITS.typingAnnouncementsPerSecond),
    async (_key, state) => visitorTypingAnnouncer(ctx, visitor, state.typing, state.preview),
    deps.log,
  );
  return {
    async 'message.send'({ clientId, text, departmentId, fileIds }) {
      const spent = await spendVisitorMessage(deps.rateLimiter, deps.budgets, visitor);
      if (spent) throw rateLimited(MESSAGE_REFUSALS[spent]);
      const props = {
        visitorId: visitor.visitorId,
        siteId: visitor.siteId,
        clientId,
        text,
        conversationHint,
        ...(departmentId && { departmentId }),
      };
      const { message } = fileIds
        ? await visitorFileMessageCreator(ctx, { ...props, fileIds })
        : await visitorMessageCreator(ctx, props);
      conversationHint = message.conversationId;
      return { message };
    },
    async 'conversation.sync'({ conversationId, afterSeq }) {
      const key = `visitor-sync:${visitor.visitorId}`;
      if (!(await deps.rateLimiter.hit(key, RATE_LIMITS.visitorSyncsPerMinute, 60_000)))
        throw rateLimited('Too many catch-ups; wait a moment');
      await loadOwnConversation(ctx.db, visitor, conversationId);
      // afterSeq is in the visitor's own numbering; notes are not selected at all.
      const { rows, hasMore } = await listVisitorMessages(ctx.db, conversationId, {
        afterSeq,
        limit: SYNC_PAGE_SIZE,
      });
      return { messages: rows.map(presentMessageToVisitor), hasMore };
    },
    async 'typing.set'(state) {
      await typing.offer('open', { typing: state.typing, preview: state.preview ?? null });
      return {};
    },
    async 'visitor.page'({ url, title }) {
      if (
        !(await deps.rateLimiter.hit(`visitor-page:${visitor.visitorId}`, PAGE_UPDATES_PER_MINUTE, 60_000))
      ) {
        throw rateLimited('This page changes too often to follow; later changes will be shown');
      }
      await visitorPageRecorder(ctx, visitor.visitorId, { url, title: title ?? null });
      await publishVisitorNow(ctx, visitor.siteId, visitor.visitorId);
      return {};
    },
    async 'conversation.read'({ conversationId, seq }) {
      await visitorReadRecorder(ctx, await loadOwnConversation(ctx.db, visitor, conversationId), seq);
      return {};
    },
  };
}
