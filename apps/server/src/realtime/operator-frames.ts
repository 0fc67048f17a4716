/**
 * What an operator's socket can do: each frame type of the protocol mapped to
 * the domain, with the same policy checks as the HTTP routes.
 */
import { type OperatorClientFrames, RATE_LIMITS, type Visibility } from '@parley/protocol';
import type { Logger } from '../logger.js';
import type { DomainContext } from '../modules/context.js';
import { operatorMessageCreator } from '../modules/conversations/commands.js';
import { operatorFileMessageCreator } from '../modules/conversations/file-messages.js';
import { presentMessage } from '../modules/conversations/presenter.js';
import { listMessages } from '../modules/conversations/queries.js';
import { operatorReadRecorder } from '../modules/conversations/read-receipts.js';
import { typingAnnouncer } from '../modules/conversations/typing.js';
import { notFound, rateLimited } from '../modules/errors.js';
import { operatorProfileUpdater } from '../modules/operators/commands.js';
import { presentPublicOperator } from '../modules/operators/presenter.js';
import { findOperatorById } from '../modules/operators/queries.js';
import { authorizeOnSite, loadConversationForOperator } from '../modules/policy/access.js';
import type { OperatorActor } from '../modules/policy/actors.js';
import { viewingRecorder } from '../modules/routing/viewers.js';
import type { RateLimiter } from '../rate-limit/rate-limiter.js';
import type { FrameHandlers } from './connection.js';
import { intervalForRate, TypingCoalescer } from './typing-coalescer.js';
import { SYNC_PAGE_SIZE } from './visitor-frames.js';

/** What guards an operator socket's costly frames. */
export interface OperatorFrameGuards {
  rateLimiter: RateLimiter;
  log: Logger;
  /** Registers what to undo when the socket closes (the conversations it was viewing). */
  onClose?: (cleanup: () => void) => void;
  /** Joins or leaves a site's "visitors now" room (the gateway owns the rooms). */
  watchVisitorsNow?: (siteId: string, watching: boolean) => void;
}

export function operatorFrameHandlers(
  ctx: DomainContext,
  actor: OperatorActor,
  guards: OperatorFrameGuards,
): FrameHandlers<OperatorClientFrames> {
  const { operatorId } = actor;
  // Read fresh per message: a name or photo changed in another tab shows on the very next reply.
  const loadOperator = async () => {
    const operator = await findOperatorById(ctx.db, operatorId);
    if (!operator) throw notFound('Operator');
    return operator;
  };
  // Per conversation and audience: an operator typing in two chats shows in both, and a note's typing
  // never stands in for (and so never swallows) the visitor-visible "stopped typing".
  const typingOf = new TypingCoalescer<{ conversationId: string; typing: boolean; visibility?: Visibility }>(
    intervalForRate(RATE_LIMITS.typingAnnouncementsPerSecond),
    async (_key, { conversationId, typing, visibility }) => {
      const [conversation, operator] = await Promise.all([
        loadConversationForOperator(ctx.db, actor, 'conversation.reply', conversationId),
        loadOperator(),
      ]);
      await typingAnnouncer(ctx, conversation, typing, {
        kind: 'operator',
        operator: presentPublicOperator(operator),
        ...(visibility && { visibility }),
      });
    },
    guards.log,
  );
  // What this console views: colleagues stop seeing it there as soon as the socket closes.
  const viewing = new Map<string, { id: string; site_id: string }>();
  guards.onClose?.(() => {
    for (const conversation of viewing.values())
      viewingRecorder(ctx, conversation, operatorId, false).catch((error: unknown) =>
        guards.log.warn({ err: error }, 'could not clear who views a conversation'),
      );
    viewing.clear();
  });
  return {
    async 'conversation.viewing'({ conversationId, viewing: isViewing }) {
      const conversation = await loadConversationForOperator(
        ctx.db,
        actor,
        'conversation.view',
        conversationId,
      );
      if (isViewing) viewing.set(conversation.id, { id: conversation.id, site_id: conversation.site_id });
      else viewing.delete(conversation.id);
      await viewingRecorder(ctx, conversation, operatorId, isViewing);
      return {};
    },
    async 'message.send'({ conversationId, clientId, text, visibility, fileIds }) {
      const [conversation, operator] = await Promise.all([
        loadConversationForOperator(ctx.db, actor, 'conversation.reply', conversationId),
        loadOperator(),
      ]);
      const props = { operator, conversation, clientId, text, ...(visibility && { visibility }) };
      const { message } = fileIds
        ? await operatorFileMessageCreator(ctx, { ...props, fileIds })
        : await operatorMessageCreator(ctx, props);
      return { message };
    },
    async 'conversation.sync'({ conversationId, afterSeq }) {
      const key = `operator-sync:${operatorId}`;
      if (!(await guards.rateLimiter.hit(key, RATE_LIMITS.operatorSyncsPerMinute, 60_000)))
        throw rateLimited('Too many catch-ups; wait a moment');
      await loadConversationForOperator(ctx.db, actor, 'conversation.view', conversationId);
      const { rows, hasMore } = await listMessages(ctx.db, conversationId, {
        afterSeq,
        limit: SYNC_PAGE_SIZE,
      });
      return { messages: rows.map(presentMessage), hasMore };
    },
    async 'typing.set'({ conversationId, typing, visibility }) {
      // Checked per frame, so an operator learns at once that a conversation is not theirs.
      await loadConversationForOperator(ctx.db, actor, 'conversation.reply', conversationId);
      await typingOf.offer(`${conversationId}:${visibility ?? 'public'}`, {
        conversationId,
        typing,
        visibility,
      });
      return {};
    },
    async 'operator.status'({ status }) {
      await operatorProfileUpdater(ctx, operatorId, { status });
      return {};
    },
    async 'visitors.watch'({ siteId, watching }) {
      if (watching) authorizeOnSite(actor, 'visitor.view', siteId);
      guards.watchVisitorsNow?.(siteId, watching);
      return {};
    },
    async 'conversation.read'({ conversationId, seq }) {
      const conversation = await loadConversationForOperator(
        ctx.db,
        actor,
        'conversation.view',
        conversationId,
      );
      await operatorReadRecorder(ctx, conversation, seq);
      return {};
    },
  };
}
