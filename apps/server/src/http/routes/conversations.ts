/** The inbox: conversation lists, one conversation with its messages, replies, close and reopen. */
import {
  API_PATHS,
  type ConversationDetail,
  type ConversationList,
  type ConversationResponse,
  LIMITS,
  type MessagePage,
  type SendMessageResponse,
  type VisitorDetail,
} from '@parley/protocol';
import {
  closeConversationRequest,
  idParams,
  listConversationsQuery,
  listMessagesQuery,
  sendMessageRequest,
} from '@parley/protocol/schemas';
import type { FastifyInstance } from 'fastify';
import type { DomainContext } from '../../modules/context.js';
import { conversationStatusChanger, operatorMessageCreator } from '../../modules/conversations/commands.js';
import { operatorFileMessageCreator } from '../../modules/conversations/file-messages.js';
import { presentMessage } from '../../modules/conversations/presenter.js';
import {
  listConversations,
  listConversationsOfVisitor,
  listMessages,
} from '../../modules/conversations/queries.js';
import { notFound } from '../../modules/errors.js';
import { loadConversationForOperator, loadVisitorFor, sitesInScope } from '../../modules/policy/access.js';
import { loadSegmentFor } from '../../modules/segments/access.js';
import { closeReasonOf } from '../../modules/tags/commands.js';
import {
  presentConversationsWithTags,
  presentConversationWithTags,
} from '../../modules/tags/conversations-with-tags.js';
import { presentVisitor } from '../../modules/visitors/presenter.js';
import { findVisitor } from '../../modules/visitors/queries.js';
import { principalOf, requireOperator } from '../callers.js';
import { parse } from '../validate.js';

/** `me` is the caller; `unassigned` nobody's; an id that operator's (assigned or invited). */
function assigneeFilter(assignee: string | undefined, me: string) {
  if (!assignee) return {};
  if (assignee === 'unassigned') return { assignee: 'unassigned' as const };
  return { assignee: { operatorId: assignee === 'me' ? me : assignee } };
}

export function conversationRoutes(app: FastifyInstance, ctx: DomainContext): void {
  const { db } = ctx;
  const authenticated = { preHandler: requireOperator(db) };

  app.get(API_PATHS.conversations, authenticated, async (request): Promise<ConversationList> => {
    const query = parse(listConversationsQuery, request.query, 'query');
    const principal = principalOf(request);
    const segment = query.segmentId ? await loadSegmentFor(db, principal, query.segmentId) : null;
    const inScope = sitesInScope(principal, 'conversation.view', query.siteId);
    const page = await listConversations(db, {
      // A segment is one site's: its filter narrows the list to that site.
      siteIds: segment ? inScope.filter((id) => id === segment.site_id) : inScope,
      ...(segment && { segment: segment.conditions }),
      status: query.status,
      channel: query.channel,
      ...assigneeFilter(query.assignee, principalOf(request).operatorId),
      ...(query.departmentId && { departmentId: query.departmentId }),
      tagId: query.tagId,
      cursor: query.cursor,
      limit: query.limit ?? LIMITS.pageSize.default,
    });
    return { items: await presentConversationsWithTags(db, page.rows), nextCursor: page.nextCursor };
  });

  app.get(API_PATHS.conversation(':id'), authenticated, async (request): Promise<ConversationDetail> => {
    const { id } = parse(idParams, request.params, 'path');
    const conversation = await loadConversationForOperator(db, principalOf(request), 'conversation.view', id);
    const [visitor, messages, presented] = await Promise.all([
      findVisitor(db, conversation.visitor_id),
      listMessages(db, id, { limit: LIMITS.pageSize.max }),
      presentConversationWithTags(db, conversation),
    ]);
    if (!visitor) throw notFound('Visitor');
    return {
      conversation: presented,
      visitor: presentVisitor(visitor),
      messages: messages.rows.map(presentMessage),
      hasEarlier: messages.hasMore,
    };
  });

  app.get(API_PATHS.conversationMessages(':id'), authenticated, async (request): Promise<MessagePage> => {
    const { id } = parse(idParams, request.params, 'path');
    const query = parse(listMessagesQuery, request.query, 'query');
    await loadConversationForOperator(db, principalOf(request), 'conversation.view', id);
    const { rows, hasMore } = await listMessages(db, id, {
      ...query,
      limit: query.limit ?? LIMITS.pageSize.default,
    });
    return { messages: rows.map(presentMessage), hasMore };
  });

  app.post(API_PATHS.conversationMessages(':id'), authenticated, async (request, reply) => {
    const { id } = parse(idParams, request.params, 'path');
    const body = parse(sendMessageRequest, request.body);
    const principal = principalOf(request);
    const conversation = await loadConversationForOperator(db, principal, 'conversation.reply', id);
    const { fileIds, ...message } = body;
    const props = { operator: principal.operator, conversation, ...message };
    const result = fileIds
      ? await operatorFileMessageCreator(ctx, { ...props, fileIds })
      : await operatorMessageCreator(ctx, props);
    return reply
      .status(result.duplicate ? 200 : 201)
      .send({ message: result.message } satisfies SendMessageResponse);
  });

  app.post(
    API_PATHS.closeConversation(':id'),
    authenticated,
    async (request): Promise<ConversationResponse> => {
      const { id } = parse(idParams, request.params, 'path');
      const { reasonTagId } = parse(closeConversationRequest, request.body ?? {});
      const principal = principalOf(request);
      const conversation = await loadConversationForOperator(db, principal, 'conversation.close', id);
      const reason = await closeReasonOf(db, conversation, reasonTagId);
      return {
        conversation: await conversationStatusChanger(
          ctx,
          id,
          'close',
          reason ? { tagId: reason, operatorId: principal.operatorId } : undefined,
        ),
      };
    },
  );

  app.post(
    API_PATHS.reopenConversation(':id'),
    authenticated,
    async (request): Promise<ConversationResponse> => {
      const { id } = parse(idParams, request.params, 'path');
      await loadConversationForOperator(db, principalOf(request), 'conversation.close', id);
      return { conversation: await conversationStatusChanger(ctx, id, 'reopen') };
    },
  );

  app.get(API_PATHS.visitor(':id'), authenticated, async (request): Promise<VisitorDetail> => {
    const { id } = parse(idParams, request.params, 'path');
    const visitor = await loadVisitorFor(db, principalOf(request), id);
    const conversations = await listConversationsOfVisitor(db, id);
    return {
      visitor: presentVisitor(visitor),
      conversations: await presentConversationsWithTags(db, conversations),
    };
  });
}
