/**
 * Routing over HTTP: a site's routing settings, departments and chat limits
 * (owners and admins), and handing a conversation on — transfer, invite,
 * take (any operator of its site).
 */
import {
  API_PATHS,
  type ConversationResponse,
  type DepartmentResponse,
  type SiteRoutingResponse,
} from '@parley/protocol';
import {
  conversationInviteRequest,
  createDepartmentRequest,
  siteOperatorParams,
  transferRequest,
  updateChatLimitRequest,
  updateDepartmentRequest,
  updateRoutingRequest,
} from '@parley/protocol/routing-schemas';
import { idParams } from '@parley/protocol/schemas';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { DomainContext } from '../../modules/context.js';
import { presentConversation } from '../../modules/conversations/presenter.js';
import { findConversation } from '../../modules/conversations/queries.js';
import { notFound } from '../../modules/errors.js';
import { authorizeOnSite, loadConversationForOperator } from '../../modules/policy/access.js';
import { routeSiteQuietly } from '../../modules/routing/assigner.js';
import {
  chatLimitUpdater,
  departmentCreator,
  departmentDeleter,
  departmentUpdater,
  findDepartment,
  listDepartments,
  listRoutingOperators,
} from '../../modules/routing/departments.js';
import { getRoutingSettings, routingSettingsUpdater } from '../../modules/routing/settings.js';
import {
  conversationInviter,
  conversationTaker,
  conversationTransferrer,
} from '../../modules/routing/transfers.js';
import { principalOf, requireOperator } from '../callers.js';
import { parse } from '../validate.js';

export function routingRoutes(app: FastifyInstance, ctx: DomainContext): void {
  const { db } = ctx;
  const authenticated = { preHandler: requireOperator(db) };

  const routingPage = async (siteId: string): Promise<SiteRoutingResponse> => {
    const [settings, departments, operators] = await Promise.all([
      getRoutingSettings(db, siteId),
      listDepartments(db, siteId),
      listRoutingOperators(db, siteId),
    ]);
    return { settings, departments, operators };
  };

  app.get(API_PATHS.siteRouting(':id'), authenticated, async (request): Promise<SiteRoutingResponse> => {
    const { id } = parse(idParams, request.params, 'path');
    authorizeOnSite(principalOf(request), 'site.view', id);
    return routingPage(id);
  });

  app.patch(API_PATHS.siteRouting(':id'), authenticated, async (request): Promise<SiteRoutingResponse> => {
    const { id } = parse(idParams, request.params, 'path');
    const changes = parse(updateRoutingRequest, request.body);
    authorizeOnSite(principalOf(request), 'site.configure', id);
    await routingSettingsUpdater(db, id, changes);
    // Switching to automatic assignment serves the queue at once.
    if (changes.mode === 'auto') await routeSiteQuietly(ctx, id);
    return routingPage(id);
  });

  app.post(API_PATHS.siteDepartments(':id'), authenticated, async (request, reply) => {
    const { id } = parse(idParams, request.params, 'path');
    const body = parse(createDepartmentRequest, request.body);
    authorizeOnSite(principalOf(request), 'site.configure', id);
    const department = await departmentCreator(db, id, body);
    return reply.status(201).send({ department } satisfies DepartmentResponse);
  });

  /** A department the caller may configure: another site's is "not found", like a missing one. */
  const loadDepartment = async (request: FastifyRequest) => {
    const { id } = parse(idParams, request.params, 'path');
    const department = await findDepartment(db, id);
    if (!department) throw notFound('Department');
    authorizeOnSite(principalOf(request), 'site.configure', department.site_id, 'Department');
    return department;
  };

  app.patch(API_PATHS.department(':id'), authenticated, async (request): Promise<DepartmentResponse> => {
    const changes = parse(updateDepartmentRequest, request.body);
    const department = await loadDepartment(request);
    return { department: await departmentUpdater(ctx, department, changes) };
  });

  app.delete(API_PATHS.department(':id'), authenticated, async (request, reply) => {
    await departmentDeleter(ctx, await loadDepartment(request));
    return reply.status(204).send();
  });

  app.put(API_PATHS.operatorChatLimit(':id', ':operatorId'), authenticated, async (request) => {
    const { id, operatorId } = parse(siteOperatorParams, request.params, 'path');
    const { chatLimit } = parse(updateChatLimitRequest, request.body);
    authorizeOnSite(principalOf(request), 'site.configure', id);
    await chatLimitUpdater(ctx, id, operatorId, chatLimit);
    return routingPage(id);
  });

  const conversationAfter = async (id: string): Promise<ConversationResponse> => {
    const row = await findConversation(db, id);
    if (!row) throw notFound('Conversation');
    return { conversation: presentConversation(row) };
  };

  app.post(API_PATHS.transferConversation(':id'), authenticated, async (request) => {
    const { id } = parse(idParams, request.params, 'path');
    const body = parse(transferRequest, request.body);
    const actor = principalOf(request);
    const conversation = await loadConversationForOperator(db, actor, 'conversation.transfer', id);
    await conversationTransferrer(ctx, { actor, conversation, ...body });
    return conversationAfter(id);
  });

  app.post(API_PATHS.inviteToConversation(':id'), authenticated, async (request) => {
    const { id } = parse(idParams, request.params, 'path');
    const { operatorId } = parse(conversationInviteRequest, request.body);
    const conversation = await loadConversationForOperator(
      db,
      principalOf(request),
      'conversation.transfer',
      id,
    );
    await conversationInviter(ctx, conversation, operatorId);
    return conversationAfter(id);
  });

  app.post(API_PATHS.takeConversation(':id'), authenticated, async (request) => {
    const { id } = parse(idParams, request.params, 'path');
    const actor = principalOf(request);
    const conversation = await loadConversationForOperator(db, actor, 'conversation.reply', id);
    await conversationTaker(ctx, actor, conversation);
    return conversationAfter(id);
  });
}
