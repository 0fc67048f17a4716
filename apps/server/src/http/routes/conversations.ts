/** The inbox: conversation lists, one conversation with its messages, replies, close and reopen. */
import {
  API_PATHS,
  type ConversationDetail,
  type ConversationList,
  LIMITS,
  type VisitorDetail,
} from '@parley/protocol';
import {
  idParams,
  listConversationsQuery,
  listMessagesQuery,
  sendMessageRequest,
} from '@parley/protocol/schemas';
import type { FastifyInstance } from 'fastify';
import type { DomainContext } from '../../modules/context.js';
import { conversationStatusChanger, operatorMessageCreator } from '../../modules/conversations/commands.js';
import { loadConversationForOperator } from '../../modules/conversations/policy.js';
import { presentConversation, presentMessage } from '../../modules/conversations/presenter.js';
import {
  listConversations,
  listConversationsOfVisitor,
  listMessages,
} from '../../modules/conversations/queries.js';
import { forbidden, notFound } from '../../modules/errors.js';
import { presentVisitor } from '../../modules/visitors/presenter.js';
import { findVisitor } from '../../modules/visitors/queries.js';
import { principalOf, requireOperator } from '../operator-auth.js';
import { parse } from '../validate.js';

export function conversationRoutes(app: FastifyInstance, ctx: DomainContext): void {
  const { db } = ctx;
  const authenticated = { preHandler: requireOperator(db) };

  app.get(API_PATHS.conversations, authenticated, async (request): Promise<ConversationList> => {
    const query = parse(listConversationsQuery, request.query, 'query');
    const { siteIds } = principalOf(request);
    if (query.siteId && !siteIds.includes(query.siteId)) throw forbidden();
    const page = await listConversations(db, {
      siteIds: query.siteId ? [query.siteId] : siteIds,
      status: query.status,
      channel: query.channel,
      cursor: query.cursor,
      limit: query.limit ?? LIMITS.pageSize.default,
    });
    return { items: page.rows.map(presentConversation), nextCursor: page.nextCursor };
  });

  app.get('/api/conversations/:id', authenticated, async (request): Promise<ConversationDetail> => {
    const { id } = parse(idParams, request.params, 'path');
    const conversation = await loadConversationForOperator(db, id, principalOf(request).siteIds);
    const [visitor, messages] = await Promise.all([
      findVisitor(db, conversation.visitor_id),
      listMessages(db, id, { limit: LIMITS.pageSize.max }),
    ]);
    if (!visitor) throw notFound('Visitor');
    return {
      conversation: presentConversation(conversation),
      visitor: presentVisitor(visitor),
      messages: messages.rows.map(presentMessage),
      hasEarlier: messages.hasMore,
    };
  });

  app.get('/api/conversations/:id/messages', authenticated, async (request) => {
    const { id } = parse(idParams, request.params, 'path');
    const query = parse(listMessagesQuery, request.query, 'query');
    await loadConversationForOperator(db, id, principalOf(request).siteIds);
    const { rows, hasMore } = await listMessages(db, id, {
      ...query,
      limit: query.limit ?? LIMITS.pageSize.default,
    });
    return { messages: rows.map(presentMessage), hasMore };
  });

  app.post('/api/conversations/:id/messages', authenticated, async (request, reply) => {
    const { id } = parse(idParams, request.params, 'path');
    const body = parse(sendMessageRequest, request.body);
    const { operator, siteIds } = principalOf(request);
    const conversation = await loadConversationForOperator(db, id, siteIds);
    const result = await operatorMessageCreator(ctx, { operator, conversation, ...body });
    return reply.status(result.duplicate ? 200 : 201).send({ message: result.message });
  });

  for (const change of ['close', 'reopen'] as const) {
    app.post(`/api/conversations/:id/${change}`, authenticated, async (request) => {
      const { id } = parse(idParams, request.params, 'path');
      await loadConversationForOperator(db, id, principalOf(request).siteIds);
      return { conversation: await conversationStatusChanger(ctx, id, change) };
    });
  }

  app.get('/api/visitors/:id', authenticated, async (request): Promise<VisitorDetail> => {
    const { id } = parse(idParams, request.params, 'path');
    const visitor = await findVisitor(db, id);
    if (!visitor) throw notFound('Visitor');
    if (!principalOf(request).siteIds.includes(visitor.site_id)) throw forbidden();
    const conversations = await listConversationsOfVisitor(db, id);
    return { visitor: presentVisitor(visitor), conversations: conversations.map(presentConversation) };
  });
}
