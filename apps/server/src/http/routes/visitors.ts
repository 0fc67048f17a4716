/**
 * The visitor's dossier (issue 12): everything known about one visitor, for the operators of the
 * visitor's site, and their edits of the card (name, email, phone, custom attributes).
 */
import { API_PATHS, DOSSIER_PATHS, type VisitorDossier, type VisitorProfileResponse } from '@parley/protocol';
import { idParams, updateVisitorRequest, visitorDossierQuery } from '@parley/protocol/schemas';
import type { FastifyInstance } from 'fastify';
import type { DomainContext } from '../../modules/context.js';
import { authorizeOnSite, loadVisitorFor } from '../../modules/policy/access.js';
import { visitorProfileUpdater } from '../../modules/visitors/commands.js';
import { getVisitorDossier } from '../../modules/visitors/dossier.js';
import { presentVisitorProfile } from '../../modules/visitors/presenter.js';
import { principalOf, requireOperator } from '../callers.js';
import { parse } from '../validate.js';

export function visitorRoutes(app: FastifyInstance, ctx: DomainContext): void {
  const { db } = ctx;
  const authenticated = { preHandler: requireOperator(db) };

  app.get(DOSSIER_PATHS.visitorDossier(':id'), authenticated, async (request): Promise<VisitorDossier> => {
    const { id } = parse(idParams, request.params, 'path');
    const query = parse(visitorDossierQuery, request.query, 'query');
    const visitor = await loadVisitorFor(db, principalOf(request), id);
    return getVisitorDossier(db, visitor, query);
  });

  app.patch(API_PATHS.visitor(':id'), authenticated, async (request): Promise<VisitorProfileResponse> => {
    const { id } = parse(idParams, request.params, 'path');
    const changes = parse(updateVisitorRequest, request.body);
    const principal = principalOf(request);
    const visitor = await loadVisitorFor(db, principal, id);
    authorizeOnSite(principal, 'visitor.edit', visitor.site_id, 'Visitor');
    return { visitor: presentVisitorProfile(await visitorProfileUpdater(ctx, id, changes)) };
  });
}
