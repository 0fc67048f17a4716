/**
 * "Visitors now": a site's visitors on it at this moment (any operator of the site), and the chat an
 * operator starts with one of them (the proactive chat). Live changes travel over the operator
 * socket (`visitors.watch`, `visitors.activity`).
 */
import { API_PATHS, type StartChatResponse, type VisitorsNowList } from '@parley/protocol';
import { idParams, startChatRequest } from '@parley/protocol/schemas';
import type { FastifyInstance } from 'fastify';
import type { DomainContext } from '../../modules/context.js';
import { authorizeOnSite, loadVisitorFor } from '../../modules/policy/access.js';
import { proactiveChatStarter } from '../../modules/visitors-now/commands.js';
import { listVisitorsNow } from '../../modules/visitors-now/queries.js';
import { principalOf, requireOperator } from '../callers.js';
import { parse } from '../validate.js';

export function visitorsNowRoutes(app: FastifyInstance, ctx: DomainContext): void {
  const { db } = ctx;
  const authenticated = { preHandler: requireOperator(db) };

  app.get(API_PATHS.siteVisitorsNow(':id'), authenticated, async (request): Promise<VisitorsNowList> => {
    const { id } = parse(idParams, request.params, 'path');
    authorizeOnSite(principalOf(request), 'visitor.view', id);
    const visitors = await listVisitorsNow(db, id);
    return { visitors, serverTime: new Date().toISOString() };
  });

  app.post(API_PATHS.visitorChats(':id'), authenticated, async (request, reply) => {
    const { id } = parse(idParams, request.params, 'path');
    const body = parse(startChatRequest, request.body);
    const principal = principalOf(request);
    const visitor = await loadVisitorFor(db, principal, id);
    authorizeOnSite(principal, 'chat.start', visitor.site_id, 'Visitor');
    const result = await proactiveChatStarter(ctx, { operator: principal.operator, visitor, ...body });
    return reply
      .status(result.duplicate ? 200 : 201)
      .send({ conversation: result.conversation, message: result.message } satisfies StartChatResponse);
  });
}
