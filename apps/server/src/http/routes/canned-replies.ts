/** Canned replies of a site (shared and the caller's own) and the caller's mentions in notes. */
import {
  API_PATHS,
  type CannedReplyList,
  type CannedReplyResponse,
  type MentionList,
} from '@parley/protocol';
import { idParams } from '@parley/protocol/schemas';
import {
  createCannedReplyRequest,
  markMentionsReadRequest,
  updateCannedReplyRequest,
} from '@parley/protocol/schemas-canned-replies';
import type { FastifyInstance } from 'fastify';
import {
  cannedReplyCreator,
  cannedReplyDeleter,
  cannedReplyUpdater,
} from '../../modules/canned-replies/commands.js';
import { presentCannedReply } from '../../modules/canned-replies/presenter.js';
import { listCannedRepliesFor } from '../../modules/canned-replies/queries.js';
import type { DomainContext } from '../../modules/context.js';
import { mentionsReader } from '../../modules/mentions/commands.js';
import { presentMention } from '../../modules/mentions/presenter.js';
import { listMentions } from '../../modules/mentions/queries.js';
import { authorizeOnSite } from '../../modules/policy/access.js';
import { principalOf, requireOperator } from '../callers.js';
import { parse } from '../validate.js';

export function cannedReplyRoutes(app: FastifyInstance, ctx: DomainContext): void {
  const { db } = ctx;
  const authenticated = { preHandler: requireOperator(db) };

  app.get(API_PATHS.cannedReplies(':id'), authenticated, async (request): Promise<CannedReplyList> => {
    const { id: siteId } = parse(idParams, request.params, 'path');
    const actor = principalOf(request);
    authorizeOnSite(actor, 'canned.use', siteId);
    const rows = await listCannedRepliesFor(db, siteId, actor.operatorId);
    return { items: rows.map(presentCannedReply) };
  });

  app.post(API_PATHS.cannedReplies(':id'), authenticated, async (request, reply) => {
    const { id: siteId } = parse(idParams, request.params, 'path');
    const body = parse(createCannedReplyRequest, request.body);
    const row = await cannedReplyCreator(db, principalOf(request), siteId, body);
    return reply.status(201).send({ cannedReply: presentCannedReply(row) } satisfies CannedReplyResponse);
  });

  app.patch(API_PATHS.cannedReply(':id'), authenticated, async (request): Promise<CannedReplyResponse> => {
    const { id } = parse(idParams, request.params, 'path');
    const changes = parse(updateCannedReplyRequest, request.body);
    const row = await cannedReplyUpdater(db, principalOf(request), id, changes);
    return { cannedReply: presentCannedReply(row) };
  });

  app.delete(API_PATHS.cannedReply(':id'), authenticated, async (request, reply) => {
    const { id } = parse(idParams, request.params, 'path');
    await cannedReplyDeleter(db, principalOf(request), id);
    return reply.status(204).send();
  });

  app.get(API_PATHS.mentions, authenticated, async (request): Promise<MentionList> => {
    const actor = principalOf(request);
    const { rows, unreadCount } = await listMentions(db, actor.operatorId, actor.siteIds);
    return { items: rows.map(presentMention), unreadCount };
  });

  app.post(API_PATHS.mentionsRead, authenticated, async (request): Promise<MentionList> => {
    const { ids } = parse(markMentionsReadRequest, request.body ?? {});
    const actor = principalOf(request);
    await mentionsReader(ctx, actor.operatorId, ids);
    const { rows, unreadCount } = await listMentions(db, actor.operatorId, actor.siteIds);
    return { items: rows.map(presentMention), unreadCount };
  });
}
