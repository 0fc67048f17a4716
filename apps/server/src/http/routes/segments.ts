/**
 * Segments (issue 12): a site's list (any of its operators), creating, changing and deleting them
 * (owners and admins), the form's preview count, and which segments some visitors are in — the
 * question "visitors now" asks to filter by segment.
 */
import {
  SEGMENT_PATHS,
  type SegmentList,
  type SegmentMembershipResponse,
  type SegmentPreviewResponse,
  type SegmentResponse,
} from '@parley/protocol';
import {
  createSegmentRequest,
  idParams,
  segmentMembershipRequest,
  segmentPreviewRequest,
  updateSegmentRequest,
} from '@parley/protocol/schemas';
import type { FastifyInstance } from 'fastify';
import type { DomainContext } from '../../modules/context.js';
import { notFound } from '../../modules/errors.js';
import { authorizeOnSite } from '../../modules/policy/access.js';
import type { OperatorActor } from '../../modules/policy/actors.js';
import { segmentCreator, segmentDeleter, segmentUpdater } from '../../modules/segments/commands.js';
import { presentSegment } from '../../modules/segments/presenter.js';
import {
  countSegmentVisitors,
  findSegment,
  findSegmentMembership,
  listSiteSegments,
} from '../../modules/segments/queries.js';
import { principalOf, requireOperator } from '../callers.js';
import { parse } from '../validate.js';

export function segmentRoutes(app: FastifyInstance, ctx: DomainContext): void {
  const { db } = ctx;
  const authenticated = { preHandler: requireOperator(db) };

  const loadSegmentToManage = async (actor: OperatorActor, id: string) => {
    const segment = await findSegment(db, id);
    if (!segment) throw notFound('Segment');
    authorizeOnSite(actor, 'segment.manage', segment.site_id, 'Segment');
    return segment;
  };

  app.get(SEGMENT_PATHS.siteSegments(':id'), authenticated, async (request): Promise<SegmentList> => {
    const { id } = parse(idParams, request.params, 'path');
    authorizeOnSite(principalOf(request), 'site.view', id);
    return { segments: (await listSiteSegments(db, id)).map(presentSegment) };
  });

  app.post(SEGMENT_PATHS.siteSegments(':id'), authenticated, async (request, reply) => {
    const { id } = parse(idParams, request.params, 'path');
    const body = parse(createSegmentRequest, request.body);
    authorizeOnSite(principalOf(request), 'segment.manage', id);
    const segment = await segmentCreator(ctx, id, body);
    return reply.status(201).send({ segment } satisfies SegmentResponse);
  });

  app.patch(SEGMENT_PATHS.segment(':id'), authenticated, async (request): Promise<SegmentResponse> => {
    const { id } = parse(idParams, request.params, 'path');
    const changes = parse(updateSegmentRequest, request.body);
    const segment = await loadSegmentToManage(principalOf(request), id);
    return { segment: await segmentUpdater(ctx, segment, changes) };
  });

  app.delete(SEGMENT_PATHS.segment(':id'), authenticated, async (request, reply) => {
    const { id } = parse(idParams, request.params, 'path');
    await segmentDeleter(ctx, await loadSegmentToManage(principalOf(request), id));
    return reply.status(204).send();
  });

  app.post(
    SEGMENT_PATHS.segmentPreview(':id'),
    authenticated,
    async (request): Promise<SegmentPreviewResponse> => {
      const { id } = parse(idParams, request.params, 'path');
      const { conditions } = parse(segmentPreviewRequest, request.body);
      authorizeOnSite(principalOf(request), 'segment.manage', id);
      return { count: await countSegmentVisitors(db, id, conditions) };
    },
  );

  app.post(
    SEGMENT_PATHS.segmentMembership(':id'),
    authenticated,
    async (request): Promise<SegmentMembershipResponse> => {
      const { id } = parse(idParams, request.params, 'path');
      const { visitorIds } = parse(segmentMembershipRequest, request.body);
      authorizeOnSite(principalOf(request), 'visitor.view', id);
      return { members: Object.fromEntries(await findSegmentMembership(db, id, visitorIds)) };
    },
  );
}
