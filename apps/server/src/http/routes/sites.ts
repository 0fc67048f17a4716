/**
 * Sites: the list an operator works on, adding and deleting one (owners and
 * admins), its settings (read by its operators, changed by its owners and
 * admins), and who is online on it.
 */
import {
  API_PATHS,
  type DeleteSiteResponse,
  type PresenceResponse,
  type SiteDTO,
  type SiteList,
} from '@parley/protocol';
import { createSiteRequest, idParams, presenceQuery, updateSiteRequest } from '@parley/protocol/schemas';
import type { FastifyInstance } from 'fastify';
import type { DomainContext } from '../../modules/context.js';
import { notFound } from '../../modules/errors.js';
import { getSitePresence } from '../../modules/operators/presence.js';
import { authorizeInstallation, authorizeOnSite } from '../../modules/policy/access.js';
import { siteCreator, siteDeleter, siteUpdater } from '../../modules/sites/commands.js';
import { presentSite } from '../../modules/sites/presenter.js';
import { findSiteById, listSitesOfOperator } from '../../modules/sites/queries.js';
import { principalOf, requireOperator } from '../callers.js';
import { parse } from '../validate.js';

export function siteRoutes(app: FastifyInstance, ctx: DomainContext): void {
  const authenticated = { preHandler: requireOperator(ctx.db) };

  app.get(API_PATHS.sites, authenticated, async (request): Promise<SiteList> => {
    const sites = await listSitesOfOperator(ctx.db, principalOf(request).operatorId);
    return { sites: sites.map(presentSite) };
  });

  app.post(API_PATHS.sites, authenticated, async (request, reply): Promise<SiteDTO> => {
    const props = parse(createSiteRequest, request.body);
    authorizeInstallation(principalOf(request), 'site.create');
    const site = await siteCreator(ctx, props);
    void reply.code(201);
    return presentSite(site);
  });

  app.delete(API_PATHS.site(':id'), authenticated, async (request): Promise<DeleteSiteResponse> => {
    const { id } = parse(idParams, request.params, 'path');
    authorizeOnSite(principalOf(request), 'site.delete', id);
    const deleted = await siteDeleter(ctx, id);
    if (!deleted) throw notFound('Site');
    return { deleted };
  });

  app.get(API_PATHS.site(':id'), authenticated, async (request): Promise<SiteDTO> => {
    const { id } = parse(idParams, request.params, 'path');
    authorizeOnSite(principalOf(request), 'site.view', id);
    const site = await findSiteById(ctx.db, id);
    if (!site) throw notFound('Site');
    return presentSite(site);
  });

  app.patch(API_PATHS.site(':id'), authenticated, async (request): Promise<SiteDTO> => {
    const { id } = parse(idParams, request.params, 'path');
    const changes = parse(updateSiteRequest, request.body);
    authorizeOnSite(principalOf(request), 'site.configure', id);
    const site = await siteUpdater(ctx, id, changes);
    if (!site) throw notFound('Site');
    return presentSite(site);
  });

  app.get(API_PATHS.presence, authenticated, async (request): Promise<PresenceResponse> => {
    const { siteId } = parse(presenceQuery, request.query, 'query');
    authorizeOnSite(principalOf(request), 'presence.view', siteId);
    return { operators: await getSitePresence(ctx, siteId) };
  });
}
