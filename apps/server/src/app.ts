/**
 * Builds the Fastify app on top of started services: plugins, error shape,
 * HTTP routes, the WebSocket gateway and static files. No listening here, so
 * tests and main.ts share the same assembly.
 */
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyWebsocket from '@fastify/websocket';
import { LIMITS } from '@parley/protocol';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Env } from './env.js';
import { installErrorHandling } from './http/errors.js';
import { authRoutes } from './http/routes/auth.js';
import { avatarRoutes } from './http/routes/avatars.js';
import { cannedReplyRoutes } from './http/routes/canned-replies.js';
import { conversationRoutes } from './http/routes/conversations.js';
import { fileRoutes } from './http/routes/files.js';
import { healthRoutes } from './http/routes/health.js';
import { identityRoutes } from './http/routes/identity.js';
import { inboundMailRoutes } from './http/routes/inbound-mail.js';
import { mailOutRoutes } from './http/routes/mail-out.js';
import { ownAccountRoutes } from './http/routes/own-account.js';
import { routingRoutes } from './http/routes/routing.js';
import { searchRoutes } from './http/routes/search.js';
import { segmentRoutes } from './http/routes/segments.js';
import { siteRoutes } from './http/routes/sites.js';
import { type StaticDirs, staticRoutes } from './http/routes/static-assets.js';
import { tagRoutes } from './http/routes/tags.js';
import { teamRoutes } from './http/routes/team.js';
import { trackingRoutes } from './http/routes/tracking.js';
import { visitorRoutes } from './http/routes/visitors.js';
import { visitorsNowRoutes } from './http/routes/visitors-now.js';
import { widgetRoutes } from './http/routes/widget.js';
import type { Logger } from './logger.js';
import { InFlightLimit } from './rate-limit/in-flight-limit.js';
import { visitorBudgetsFromEnv } from './rate-limit/visitor-budgets.js';
import { Gateway } from './realtime/gateway.js';
import type { Services } from './services.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export const DEFAULT_STATIC_DIRS: StaticDirs = {
  console: `${repoRoot}apps/console/dist`,
  widget: `${repoRoot}apps/widget/dist`,
  shop: `${repoRoot}examples/shop`,
};

/** A route as registered: its method and its path pattern (`/api/conversations/:id`). */
export interface RegisteredRoute {
  method: string;
  url: string;
}

export interface ParleyApp {
  app: FastifyInstance;
  gateway: Gateway;
  /** Every route the app serves, HEAD twins of GET routes left out: the permission test's checklist. */
  routes: readonly RegisteredRoute[];
  isDraining(): boolean;
  /** Stops taking work, lets in-flight messages land, tells sockets to reconnect, closes the server. */
  drainAndClose(): Promise<void>;
}

export async function buildApp(
  env: Env,
  services: Services,
  log: Logger,
  dirs = DEFAULT_STATIC_DIRS,
): Promise<ParleyApp> {
  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    // One line per request is noise at chat volumes; errors are still logged by the error handler.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 64 * 1024,
    trustProxy: env.TRUST_PROXY,
  });
  let draining = false;
  const routes: RegisteredRoute[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') routes.push({ method, url: route.url });
    }
  });

  installErrorHandling(app);
  await app.register(fastifyCookie);
  await app.register(fastifyWebsocket, { options: { maxPayload: LIMITS.frameBytes * 2 } });

  const budgets = visitorBudgetsFromEnv(env);
  const gateway = new Gateway({
    ctx: services.ctx,
    bus: services.bus,
    signer: services.signer,
    rateLimiter: services.rateLimiter,
    budgets,
    sockets: {
      sendBufferBytes: env.SOCKET_SEND_BUFFER_LIMIT_BYTES,
      pingIntervalMs: env.SOCKET_PING_INTERVAL_MS,
      pongTimeoutMs: env.SOCKET_PONG_TIMEOUT_MS,
    },
    log,
  });

  healthRoutes(app, {
    db: services.ctx.db,
    isDraining: () => draining,
    probeTimeoutMs: env.READY_PROBE_TIMEOUT_MS,
    ...services.health,
  });
  authRoutes(app, {
    ctx: services.ctx,
    rateLimiter: services.rateLimiter,
    loginAttemptsPerMinute: env.LOGIN_ATTEMPTS_PER_MINUTE,
    secureCookies: env.COOKIE_SECURE,
  });
  avatarRoutes(app, services.ctx);
  conversationRoutes(app, services.ctx);
  cannedReplyRoutes(app, services.ctx);
  searchRoutes(app, services.ctx);
  siteRoutes(app, services.ctx);
  teamRoutes(app, { ctx: services.ctx, publicUrl: env.PUBLIC_URL, secureCookies: env.COOKIE_SECURE });
  ownAccountRoutes(app, services.ctx, services.rateLimiter);
  routingRoutes(app, services.ctx);
  fileRoutes(app, {
    ctx: services.ctx,
    store: services.files,
    signer: services.signer,
    rateLimiter: services.rateLimiter,
  });
  tagRoutes(app, services.ctx);
  inboundMailRoutes(app, { inbound: services.inboundMail, secret: env.INBOUND_MAIL_SECRET });
  visitorsNowRoutes(app, services.ctx);
  // The visitor's dossier and segments (issue 12).
  visitorRoutes(app, services.ctx);
  segmentRoutes(app, services.ctx);
  widgetRoutes(app, {
    ctx: services.ctx,
    signer: services.signer,
    rateLimiter: services.rateLimiter,
    budgets,
    countries: services.countries,
    emailAvailable: services.mail.transport !== null,
  });
  mailOutRoutes(app, {
    ctx: services.ctx,
    signer: services.signer,
    smtpConfigured: services.mail.transport !== null,
  });
  identityRoutes(app, {
    ctx: services.ctx,
    signer: services.signer,
    rateLimiter: services.rateLimiter,
    budgets,
    demo: env.PARLEY_DEMO,
  });
  trackingRoutes(app, {
    // Tracking's statements run on its own pool; what they publish still goes over the one bus.
    ctx: { ...services.ctx, db: services.trackingDatabase.db },
    inFlight: new InFlightLimit(env.TRACKING_MAX_IN_FLIGHT),
    signer: services.signer,
    rateLimiter: services.rateLimiter,
    budgets,
    countries: services.countries,
    batchesPerVisitor: env.TRACK_BATCHES_PER_VISITOR_PER_MINUTE,
    batchesPerIp: env.TRACK_BATCHES_PER_IP_PER_MINUTE,
  });
  gateway.register(app);
  await staticRoutes(app, { db: services.ctx.db, dirs, demo: env.PARLEY_DEMO });

  return {
    app,
    gateway,
    routes,
    isDraining: () => draining,
    async drainAndClose() {
      draining = true;
      await gateway.drain();
      await app.close();
    },
  };
}
