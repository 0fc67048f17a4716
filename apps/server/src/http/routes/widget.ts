/**
 * The widget's HTTP side: starting or resuming a visitor session (with the
 * whole history), and leaving a request while nobody is online. Calls must
 * come from the site's allowed origins or from Parley's own frame. What it
 * answers is the visitor's view: public messages only, visitors' seqs. New
 * visitors and their requests draw on per-IP and per-site budgets.
 */
import { API_PATHS, type OfflineRequestResponse, type WidgetSessionResponse } from '@parley/protocol';
import { offlineRequest, widgetSessionRequest } from '@parley/protocol/schemas';
import type { FastifyInstance } from 'fastify';
import type { DomainContext } from '../../modules/context.js';
import { offlineRequestCreator } from '../../modules/conversations/commands.js';
import { presentMessageToVisitor } from '../../modules/conversations/presenter.js';
import { findOpenConversationOfVisitor, listVisitorHistory } from '../../modules/conversations/queries.js';
import { rateLimited } from '../../modules/errors.js';
import { availableOperators, getSitePresence } from '../../modules/operators/presence.js';
import { siteForWidget } from '../../modules/policy/authentication.js';
import { callOrigin } from '../../modules/policy/origins.js';
import { listDepartments } from '../../modules/routing/departments.js';
import { getQueueStatus } from '../../modules/routing/queue.js';
import { getRoutingSettings } from '../../modules/routing/settings.js';
import { presentPublicSite } from '../../modules/sites/presenter.js';
import { knownVisitorOf } from '../../modules/visitors/access.js';
import { visitorArrivalRecorder } from '../../modules/visitors/commands.js';
import type { CountryLookup } from '../../modules/visitors/geolocation.js';
import type { VisitorTokenSigner } from '../../modules/visitors/tokens.js';
import { publishVisitorNow } from '../../modules/visitors-now/commands.js';
import { countUnseenOperatorMessages } from '../../modules/visitors-now/unseen.js';
import type { RateLimiter } from '../../rate-limit/rate-limiter.js';
import {
  type SpentBudget,
  spendNewVisitor,
  spendVisitorMessage,
  type VisitorBudgetLimits,
} from '../../rate-limit/visitor-budgets.js';
import { visitorOf } from '../callers.js';
import { parse } from '../validate.js';

export interface WidgetRouteDeps {
  ctx: DomainContext;
  signer: VisitorTokenSigner;
  rateLimiter: RateLimiter;
  budgets: VisitorBudgetLimits;
  countries: CountryLookup;
  /** SMTP is configured: the widget may promise answers by email and offer transcripts. */
  emailAvailable: boolean;
}

const NEW_VISITOR_REFUSALS: Record<Exclude<SpentBudget, 'visitor'>, string> = {
  ip: 'Too many new chats from your network; wait a minute',
  site: 'This site is getting too many new visitors right now; wait a minute',
};

export function widgetRoutes(app: FastifyInstance, deps: WidgetRouteDeps): void {
  const { ctx, signer } = deps;

  app.post(API_PATHS.widgetSession, async (request): Promise<WidgetSessionResponse> => {
    const body = parse(widgetSessionRequest, request.body);
    const site = await siteForWidget(ctx.db, body.siteKey, callOrigin(request));
    const { visitor } = await visitorArrivalRecorder(ctx.db, {
      siteId: site.id,
      knownVisitor: knownVisitorOf(signer, body.visitorToken, site.id),
      ...(body.newVisitorKey && { newVisitorKey: body.newVisitorKey }),
      // Whatever the token, a browser that starts as a new visitor spends the new-visitor budgets
      // (a revoked or deleted visitor's token included: it must not be a way round them).
      admitNew: async () => {
        const spent = await spendNewVisitor(deps.rateLimiter, deps.budgets, {
          siteId: site.id,
          ip: request.ip,
        });
        if (spent) throw rateLimited(NEW_VISITOR_REFUSALS[spent]);
      },
      userAgent: request.headers['user-agent']?.slice(0, 500) ?? null,
      language: body.language ?? null,
      page: body.page ? { url: body.page.url, title: body.page.title ?? null } : null,
      referrer: body.referrer ?? null,
      country: deps.countries.countryOf(request.ip),
    });
    const [presence, history, open, unseen] = await Promise.all([
      getSitePresence(ctx, site.id),
      listVisitorHistory(ctx.db, visitor.id),
      findOpenConversationOfVisitor(ctx.db, visitor.id),
      countUnseenOperatorMessages(ctx.db, visitor.id),
    ]);
    // A chat frame starting is the visitor being on the site: "visitors now" hears of it like a tracking batch.
    publishVisitorNow(ctx, site.id, visitor.id).catch((error: unknown) =>
      request.log.warn({ err: error }, 'could not announce the visitor to visitors now'),
    );
    const operators = availableOperators(presence);
    const [routing, queue] = await Promise.all([
      getRoutingSettings(ctx.db, site.id),
      open ? getQueueStatus(ctx, site.id, open.id) : null,
    ]);
    const departments =
      routing.departmentPicker && !open
        ? (await listDepartments(ctx.db, site.id)).map(({ id, name }) => ({ id, name }))
        : [];
    // Every session start renews the token: a visitor who keeps coming back never sees it expire.
    const token = signer.issue({
      visitorId: visitor.id,
      siteId: site.id,
      generation: visitor.token_generation,
    });
    return {
      visitorToken: token.token,
      visitorTokenExpiresAt: token.expiresAt.toISOString(),
      visitorId: visitor.id,
      site: presentPublicSite(site),
      online: operators.length > 0,
      operators,
      history: history.map(presentMessageToVisitor),
      openConversationId: open?.id ?? null,
      departments,
      queue,
      operatorReadSeq: open?.operator_read_seq ?? 0,
      unseen,
      emailAvailable: deps.emailAvailable,
    };
  });

  app.post(API_PATHS.widgetRequests, async (request, reply) => {
    const { visitorId, siteId } = await visitorOf(ctx.db, signer, request);
    const body = parse(offlineRequest, request.body);
    const spent = await spendVisitorMessage(deps.rateLimiter, deps.budgets, {
      visitorId,
      siteId,
      ip: request.ip,
    });
    if (spent) throw rateLimited('Too many requests; wait a moment');
    const result = await offlineRequestCreator(ctx, {
      visitorId,
      siteId,
      ...body,
      phone: body.phone || null,
    });
    const response: OfflineRequestResponse = {
      conversationId: result.conversationId,
      message: result.message,
    };
    return reply.status(result.duplicate ? 200 : 201).send(response);
  });
}
