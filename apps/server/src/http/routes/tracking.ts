/**
 * The loader's tracking endpoint: batches of page views, pings, time spent, events and captured
 * emails from the site's pages (not the frame), sent with fetch keepalive or sendBeacon as
 * text/plain so the browser needs no preflight. Only the site's allowed origins get an answer they
 * can read (CORS); other origins are refused before anything is written. Budgets per visitor and
 * per IP keep one flooding script from slowing anyone else.
 *
 * A busy site must not slow its chat: batches use a small pool of their own, and a node already
 * working on `inFlight.max` batches answers 503 at once (before parsing or any database work); the
 * loader sends the same items again after a backoff and they are written once.
 */
import { API_PATHS, TRACKING_LIMITS, type TrackResponse } from '@parley/protocol';
import { trackBatch } from '@parley/protocol/schemas-tracking';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DomainContext } from '../../modules/context.js';
import { rateLimited } from '../../modules/errors.js';
import { siteForWidget } from '../../modules/policy/authentication.js';
import { callOrigin } from '../../modules/policy/origins.js';
import { readSiteSettings } from '../../modules/sites/presenter.js';
import { trackBatchRecorder } from '../../modules/tracking/commands.js';
import { firstLanguage } from '../../modules/visitors/accept-language.js';
import { knownVisitorOf } from '../../modules/visitors/access.js';
import type { CountryLookup } from '../../modules/visitors/geolocation.js';
import type { VisitorTokenSigner } from '../../modules/visitors/tokens.js';
import { publishTrackedVisitorNow } from '../../modules/visitors-now/commands.js';
import type { InFlightLimit } from '../../rate-limit/in-flight-limit.js';
import type { RateLimiter } from '../../rate-limit/rate-limiter.js';
import { spendNewVisitor, type VisitorBudgetLimits } from '../../rate-limit/visitor-budgets.js';
import { ValidationError } from '../errors.js';
import { parse } from '../validate.js';

export interface TrackingRouteDeps {
  /** Its `db` is tracking's own pool (services.trackingDatabase), apart from the chat's. */
  ctx: DomainContext;
  /** Batches this node works on at once; beyond it, 503 and the loader sends the batch again later. */
  inFlight: InFlightLimit;
  signer: VisitorTokenSigner;
  rateLimiter: RateLimiter;
  budgets: VisitorBudgetLimits;
  countries: CountryLookup;
  /** Batches per minute: one visitor's, and all visitors' behind one IP address. */
  batchesPerVisitor: number;
  batchesPerIp: number;
}

/** sendBeacon and keepalive fetch send the JSON as text/plain (no preflight): read it here. */
function jsonOf(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body);
  } catch {
    throw new ValidationError('Invalid request', [{ path: '', message: 'The body is not JSON' }]);
  }
}

function allowReading(reply: FastifyReply, origin: string | undefined): void {
  if (origin) void reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
}

export function trackingRoutes(app: FastifyInstance, deps: TrackingRouteDeps): void {
  const { ctx, signer } = deps;
  app.post(API_PATHS.widgetTrack, { bodyLimit: TRACKING_LIMITS.batchBytes }, async (request, reply) => {
    const done = deps.inFlight.tryEnter();
    if (!done) {
      return reply
        .status(503)
        .header('retry-after', '10')
        .send({ error: { code: 'unavailable', message: 'Busy; send this batch again in a moment' } });
    }
    try {
      return await recordBatch(request, reply);
    } finally {
      done();
    }
  });

  async function recordBatch(request: FastifyRequest, reply: FastifyReply): Promise<TrackResponse> {
    const from = callOrigin(request);
    const batch = parse(trackBatch, jsonOf(request.body));
    const site = await siteForWidget(ctx.db, batch.siteKey, from);
    allowReading(reply, from.origin);
    const settings = readSiteSettings(site.settings);
    if (batch.dnt && settings.respectDoNotTrack) {
      return { visitorToken: batch.visitorToken ?? '', accepted: 0, stop: true } satisfies TrackResponse;
    }
    const claims = batch.visitorToken ? signer.verify(batch.visitorToken) : null;
    const known = knownVisitorOf(signer, batch.visitorToken ?? undefined, site.id);
    const spent = await deps.rateLimiter.hitEach(
      [
        ...(known ? [{ key: `track-visitor:${known.id}`, limit: deps.batchesPerVisitor }] : []),
        { key: `track-ip:${request.ip}`, limit: deps.batchesPerIp },
      ],
      60_000,
    );
    if (spent >= 0) throw rateLimited('Too many tracking batches; wait a minute');
    const result = await trackBatchRecorder(ctx.db, {
      site,
      knownVisitor: known,
      ...(!batch.visitorToken && batch.newVisitorKey && { newVisitorKey: batch.newVisitorKey }),
      admitNew: async () => {
        if (await spendNewVisitor(deps.rateLimiter, deps.budgets, { siteId: site.id, ip: request.ip }))
          throw rateLimited('Too many new visitors from your network; wait a minute');
      },
      items: batch.items,
      userAgent: request.headers['user-agent']?.slice(0, 500) ?? null,
      language: firstLanguage(request.headers['accept-language']),
      location: deps.countries.locationOf(request.ip),
      emailCapture: settings.emailCapture,
    });
    const { visitor } = result;
    // "Visitors now" gets the row its own list would show (one presenter, one notion of "left"), a
    // chatting visitor's card hears of new pages and events; an operator's message the visitor has
    // not seen makes the loader bring the frame in quietly.
    const { unseen } = await publishTrackedVisitorNow(ctx, site.id, visitor, result.accepted > 0);
    // A token of this visitor past half its life (or of the old kind) is renewed, as sessions do; a
    // merged profile's token is exchanged for its survivor's.
    const keep =
      !result.isNew &&
      claims?.visitorId === visitor.id &&
      batch.visitorToken &&
      claims?.expiresAt &&
      signer.renewalDueAt(claims.expiresAt) > new Date();
    const visitorToken = keep
      ? (batch.visitorToken as string)
      : signer.issue({ visitorId: visitor.id, siteId: site.id, generation: visitor.token_generation }).token;
    return {
      visitorToken,
      accepted: result.accepted,
      ...(unseen && { unseen }),
      ...(settings.emailCapture && { capture: true }),
    } satisfies TrackResponse;
  }
}
