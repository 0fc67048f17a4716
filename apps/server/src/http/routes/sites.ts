/** Site settings (read by its operators, changed by its owners and admins) and who is online on a site. */
import { API_PATHS, type PresenceResponse, type SiteDTO } from '@parley/protocol';
import { idParams, updateSiteRequest, z } from '@parley/protocol/schemas';
import type { FastifyInstance } from 'fastify';
import type { DomainContext } from '../../modules/context.js';
import { forbidden, notFound } from '../../modules/errors.js';
import { getSitePresence } from '../../modules/operators/presence.js';
import { siteUpdater } from '../../modules/sites/commands.js';
import { assertCanConfigureSite } from '../../modules/sites/policy.js';
import { presentSite } from '../../modules/sites/presenter.js';
import { findSiteById } from '../../modules/sites/queries.js';
import { principalOf, requireOperator } from '../operator-auth.js';
import { parse } from '../validate.js';

const presenceQuery = z.object({ siteId: z.string().uuid() });

export function siteRoutes(app: FastifyInstance, ctx: DomainContext): void {
  const authenticated = { preHandler: requireOperator(ctx.db) };

  app.get('/api/sites/:id', authenticated, async (request): Promise<SiteDTO> => {
    const { id } = parse(idParams, request.params, 'path');
    if (!principalOf(request).siteIds.includes(id)) throw forbidden();
    const site = await findSiteById(ctx.db, id);
    if (!site) throw notFound('Site');
    return presentSite(site);
  });

  app.patch('/api/sites/:id', authenticated, async (request): Promise<SiteDTO> => {
    const { id } = parse(idParams, request.params, 'path');
    const changes = parse(updateSiteRequest, request.body);
    const { operator, siteIds } = principalOf(request);
    assertCanConfigureSite(operator, siteIds, id);
    const site = await siteUpdater(ctx.db, id, changes);
    if (!site) throw notFound('Site');
    return presentSite(site);
  });

  app.get(API_PATHS.presence, authenticated, async (request): Promise<PresenceResponse> => {
    const { siteId } = parse(presenceQuery, request.query, 'query');
    if (!principalOf(request).siteIds.includes(siteId)) throw forbidden();
    return { operators: await getSitePresence(ctx, siteId) };
  });
}
