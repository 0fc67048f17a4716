/**
 * Identity over HTTP: `POST /api/widget/identify`, which the loader calls from the site's own pages
 * (cross-origin: answered with CORS headers for the site's allowed origins only), and a site's
 * identity settings for owners and admins (the secret, rotating it, requiring signatures).
 */
import { API_PATHS, type IdentifyResponse, type SiteIdentityDTO } from '@parley/protocol';
import { identifyRequest, updateSiteIdentityRequest } from '@parley/protocol/identity-schemas';
import { idParams } from '@parley/protocol/schemas';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DomainContext } from '../../modules/context.js';
import { notFound, rateLimited } from '../../modules/errors.js';
import { visitorIdentifier } from '../../modules/identity/identify.js';
import { presentSiteIdentity, siteIdentityUpdater } from '../../modules/identity/settings.js';
import { userHashOf } from '../../modules/identity/user-hash.js';
import { authorizeOnSite } from '../../modules/policy/access.js';
import { siteForWidget } from '../../modules/policy/authentication.js';
import { callOrigin } from '../../modules/policy/origins.js';
import { knownVisitorOf } from '../../modules/visitors/access.js';
import type { VisitorTokenSigner } from '../../modules/visitors/tokens.js';
import type { RateLimiter } from '../../rate-limit/rate-limiter.js';
import { spendNewVisitor, type VisitorBudgetLimits } from '../../rate-limit/visitor-budgets.js';
import { principalOf, requireOperator } from '../callers.js';
import { parse } from '../validate.js';

export interface IdentityRouteDeps {
  ctx: DomainContext;
  signer: VisitorTokenSigner;
  rateLimiter: RateLimiter;
  budgets: VisitorBudgetLimits;
  /** PARLEY_DEMO: the demo shop's "log in" gets its demo customer's signature here. */
  demo: boolean;
}

/** The demo shop's one customer, signed by the demo site's secret as a shop's server would sign it. */
export const DEMO_CUSTOMER = {
  id: 'demo-customer-1',
  name: 'Alex Demo',
  email: 'alex@shop.example',
} as const;
export const DEMO_CUSTOMER_PATH = '/shop/demo-customer';

/** Lets the calling page read the answer: only set once its origin is known to be the site's. */
function allowOrigin(request: FastifyRequest, reply: FastifyReply): void {
  const origin = request.headers.origin;
  if (origin) reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
}

export function identityRoutes(app: FastifyInstance, deps: IdentityRouteDeps): void {
  const { ctx, signer } = deps;
  const authenticated = { preHandler: requireOperator(ctx.db) };

  // The preflight of the loader's JSON POST. It names no site, so it allows the call to be tried;
  // the POST itself is refused (403, and unreadable to the page) from an origin the site does not allow.
  app.options(API_PATHS.widgetIdentify, async (request, reply) => {
    allowOrigin(request, reply);
    return reply
      .header('access-control-allow-methods', 'POST')
      .header('access-control-allow-headers', 'content-type')
      .header('access-control-max-age', '600')
      .status(204)
      .send();
  });

  app.post(API_PATHS.widgetIdentify, async (request, reply): Promise<IdentifyResponse> => {
    const { siteKey, visitorToken, ...claims } = parse(identifyRequest, request.body);
    const site = await siteForWidget(ctx.db, siteKey, callOrigin(request));
    allowOrigin(request, reply);
    const { visitor, verified, merged } = await visitorIdentifier(ctx, {
      ...claims,
      site,
      known: knownVisitorOf(signer, visitorToken, site.id),
      admitNew: async () => {
        const spent = await spendNewVisitor(deps.rateLimiter, deps.budgets, {
          siteId: site.id,
          ip: request.ip,
        });
        if (spent) throw rateLimited('Too many new visitors right now; wait a minute');
      },
    });
    const token = signer.issue({
      visitorId: visitor.id,
      siteId: site.id,
      generation: visitor.token_generation,
    });
    return { visitorToken: token.token, visitorId: visitor.id, verified, merged };
  });

  // The demo shop has no server of its own: this stands in for it (the secret never leaves Parley).
  if (deps.demo)
    app.get(DEMO_CUSTOMER_PATH, async () => {
      const site = await ctx.db
        .selectFrom('sites')
        .select('identity_secret')
        .where('public_key', '=', 'demo')
        .executeTakeFirst();
      if (!site) throw notFound('Demo site');
      return { ...DEMO_CUSTOMER, userHash: userHashOf(DEMO_CUSTOMER.id, site.identity_secret) };
    });

  app.get(API_PATHS.siteIdentity(':id'), authenticated, async (request): Promise<SiteIdentityDTO> => {
    const { id } = parse(idParams, request.params, 'path');
    authorizeOnSite(principalOf(request), 'site.configure', id);
    const site = await ctx.db
      .selectFrom('sites')
      .select(['id', 'identity_secret', 'require_identity'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!site) throw notFound('Site');
    return presentSiteIdentity(site);
  });

  app.patch(API_PATHS.siteIdentity(':id'), authenticated, async (request): Promise<SiteIdentityDTO> => {
    const { id } = parse(idParams, request.params, 'path');
    const { requireVerification } = parse(updateSiteIdentityRequest, request.body);
    authorizeOnSite(principalOf(request), 'site.configure', id);
    const updated = await siteIdentityUpdater(ctx.db, id, { requireVerification });
    if (!updated) throw notFound('Site');
    return updated;
  });

  app.post(API_PATHS.siteIdentitySecret(':id'), authenticated, async (request): Promise<SiteIdentityDTO> => {
    const { id } = parse(idParams, request.params, 'path');
    authorizeOnSite(principalOf(request), 'site.configure', id);
    const updated = await siteIdentityUpdater(ctx.db, id, { rotateSecret: true });
    if (!updated) throw notFound('Site');
    return updated;
  });
}
