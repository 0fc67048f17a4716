/**
 * Tags: a site's list (any of its operators reads it and creates tags on the
 * fly), renaming, recolouring and deleting (owners and admins), and the tags
 * on a conversation (any operator who may see it).
 */
import { API_PATHS, type ConversationResponse, type TagList, type TagResponse } from '@parley/protocol';
import {
  addConversationTagRequest,
  conversationTagParams,
  createTagRequest,
  idParams,
  updateTagRequest,
} from '@parley/protocol/schemas';
import type { FastifyInstance } from 'fastify';
import type { DomainContext } from '../../modules/context.js';
import { notFound } from '../../modules/errors.js';
import { authorizeOnSite, loadConversationForOperator } from '../../modules/policy/access.js';
import type { OperatorActor } from '../../modules/policy/actors.js';
import {
  conversationTagAdder,
  conversationTagRemover,
  tagCreator,
  tagDeleter,
  tagUpdater,
} from '../../modules/tags/commands.js';
import { presentTag } from '../../modules/tags/presenter.js';
import { findTag, listSiteTags } from '../../modules/tags/queries.js';
import { principalOf, requireOperator } from '../callers.js';
import { parse } from '../validate.js';

export function tagRoutes(app: FastifyInstance, ctx: DomainContext): void {
  const { db } = ctx;
  const authenticated = { preHandler: requireOperator(db) };

  /** A tag the operator may manage: on one of their sites (else 404), with a role that may (else 403). */
  const loadTagToManage = async (actor: OperatorActor, id: string) => {
    const tag = await findTag(db, id);
    if (!tag) throw notFound('Tag');
    authorizeOnSite(actor, 'tag.manage', tag.site_id, 'Tag');
    return tag;
  };

  app.get(API_PATHS.siteTags(':id'), authenticated, async (request): Promise<TagList> => {
    const { id } = parse(idParams, request.params, 'path');
    authorizeOnSite(principalOf(request), 'site.view', id);
    return { tags: (await listSiteTags(db, id)).map(presentTag) };
  });

  app.post(API_PATHS.siteTags(':id'), authenticated, async (request, reply) => {
    const { id } = parse(idParams, request.params, 'path');
    const body = parse(createTagRequest, request.body);
    authorizeOnSite(principalOf(request), 'tag.create', id);
    const tag = await tagCreator(ctx, id, body);
    return reply.status(201).send({ tag } satisfies TagResponse);
  });

  app.patch(API_PATHS.tag(':id'), authenticated, async (request): Promise<TagResponse> => {
    const { id } = parse(idParams, request.params, 'path');
    const changes = parse(updateTagRequest, request.body);
    const tag = await loadTagToManage(principalOf(request), id);
    return { tag: await tagUpdater(ctx, tag, changes) };
  });

  app.delete(API_PATHS.tag(':id'), authenticated, async (request, reply) => {
    const { id } = parse(idParams, request.params, 'path');
    const tag = await loadTagToManage(principalOf(request), id);
    await tagDeleter(ctx, tag);
    return reply.status(204).send();
  });

  app.post(
    API_PATHS.conversationTags(':id'),
    authenticated,
    async (request): Promise<ConversationResponse> => {
      const { id } = parse(idParams, request.params, 'path');
      const { tagId } = parse(addConversationTagRequest, request.body);
      const principal = principalOf(request);
      const conversation = await loadConversationForOperator(db, principal, 'conversation.tag', id);
      return {
        conversation: await conversationTagAdder(ctx, {
          conversation,
          tagId,
          operatorId: principal.operatorId,
        }),
      };
    },
  );

  app.delete(
    API_PATHS.conversationTag(':id', ':tagId'),
    authenticated,
    async (request): Promise<ConversationResponse> => {
      const { id, tagId } = parse(conversationTagParams, request.params, 'path');
      const conversation = await loadConversationForOperator(
        db,
        principalOf(request),
        'conversation.tag',
        id,
      );
      return { conversation: await conversationTagRemover(ctx, { conversation, tagId }) };
    },
  );
}
