/**
 * Wires the infrastructure: database (embedded or DATABASE_URL), migrations,
 * event bus and presence (in-process or Redis), rate limiter, token signer.
 * `stop()` releases them in the reverse order.
 */
import { hostname } from 'node:os';
import { join } from 'node:path';
import { connectDatabase, type DatabaseHandle } from './db/database.js';
import { type EmbeddedDatabaseState, startEmbeddedPostgres } from './db/embedded-postgres.js';
import { migrate } from './db/migrate.js';
import type { Env } from './env.js';
import { type EventBus, InProcessEventBus } from './events/event-bus.js';
import { RedisEventBus } from './events/redis-event-bus.js';
import type { Logger } from './logger.js';
import type { DomainContext } from './modules/context.js';
import { MessageAppender } from './modules/conversations/message-appender.js';
import { scheduleOrphanFileSweeps } from './modules/files/commands.js';
import { loadOrCreateInstallationId, loadOrCreateSecret } from './modules/installation/secrets.js';
import type { InboundMailDeps } from './modules/mail/inbound/receiver.js';
import { type MailConfig, mailConfig } from './modules/mail/outgoing/config.js';
import { emailSender } from './modules/mail/outgoing/sender.js';
import { scheduleMailSweeps } from './modules/mail/outgoing/sweeps.js';
import { teamLinkMailer } from './modules/mail/outgoing/team-links.js';
import { type MailTransport, smtpTransport } from './modules/mail/outgoing/transport.js';
import { scheduleExpiredSessionSweeps } from './modules/operators/sessions.js';
import { scheduleEscalationSweeps } from './modules/routing/escalation.js';
import { scheduleSearchIndexing } from './modules/search/indexer.js';
import { teamLinkDeliverer } from './modules/team/delivery.js';
import { type CountryLookup, openCountryLookup } from './modules/visitors/geolocation.js';
import { createVisitorTokenSigner, type VisitorTokenSigner } from './modules/visitors/tokens.js';
import type { OutboxHandlerRegistry, OutboxHandlers, OutboxTopics } from './outbox/topics.js';
import { OutboxWorker } from './outbox/worker.js';
import { InProcessPresenceStore, type PresenceStore } from './presence/presence-store.js';
import { RedisPresenceStore } from './presence/redis-presence-store.js';
import { InProcessViewerStore, RedisViewerStore, type ViewerStore } from './presence/viewer-store.js';
import { InMemoryRateLimiter, type RateLimiter, RedisRateLimiter } from './rate-limit/rate-limiter.js';
import { connectRedis } from './redis/connect.js';
import { redisNamespace } from './redis/namespace.js';
import type { FileStore } from './storage/file-store.js';
import { createFsFileStore } from './storage/fs-file-store.js';

export interface Services {
  nodeId: string;
  database: DatabaseHandle;
  /** A small pool of its own for tracking batches (TRACKING_DB_CONNECTIONS), so they never hold the chat's. */
  trackingDatabase: DatabaseHandle;
  ctx: DomainContext;
  bus: EventBus;
  signer: VisitorTokenSigner;
  rateLimiter: RateLimiter;
  countries: CountryLookup;
  /** Where uploaded files' bytes live (FILES_DIR, DATA_DIR/files by default). */
  files: FileStore;
  /** What receiving replies by mail needs (the SMTP listener and POST /api/mail/inbound). */
  inboundMail: InboundMailDeps;
  /** Email out: its configuration, and whether SMTP is there to send. */
  mail: MailSetup;
  /** Runs after-commit work queued in the outbox; stopped (drained) by `stop()`, or earlier by the caller. */
  outbox: OutboxWorker;
  /** Where the database lives, for the start-up banner. */
  databaseLabel: string;
  /** What the health routes look at. */
  health: {
    /** The embedded PostgreSQL's state, when Parley runs its own. */
    embeddedDatabase?: () => EmbeddedDatabaseState;
    /** Answers when Redis does, when Redis is configured. */
    pingRedis?: () => Promise<unknown>;
  };
  stop(): Promise<void>;
}

/**
 * Which module handles each outbox topic on this node: a line per topic, e.g.
 * `'email.send': env.SMTP_URL ? emailSender(ctx, env.SMTP_URL) : undefined`
 * (a topic left out waits in the outbox for a node that handles it).
 */
function parleyOutboxHandlers(ctx: DomainContext, mail: MailSetup): OutboxHandlers<OutboxTopics> {
  if (!mail.transport) return { 'team.link': teamLinkDeliverer(ctx.db) };
  return {
    'team.link': teamLinkMailer(ctx.db, mail.config, mail.transport),
    'email.send': emailSender(ctx.db, mail.config, mail.transport),
  };
}

/** Email out: the configuration every node has, and the SMTP transport when SMTP_URL is set. */
export interface MailSetup {
  config: MailConfig;
  /** Null without SMTP_URL: `email.send` rows wait in the outbox, and the console counts them. */
  transport: MailTransport | null;
}

function mailSetup(env: Env): MailSetup {
  const publicUrl = env.PUBLIC_URL ?? `http://${env.HOST === '0.0.0.0' ? '127.0.0.1' : env.HOST}:${env.PORT}`;
  return {
    config: mailConfig({ mailFrom: env.MAIL_FROM, mailReplyDomain: env.MAIL_REPLY_DOMAIN, publicUrl }),
    transport: env.SMTP_URL ? smtpTransport(env.SMTP_URL) : null,
  };
}

/** MAIL_REPLY_DOMAIN, or PUBLIC_URL's host by default (env.ts). */
export function replyDomainOf(env: Env): string {
  return env.MAIL_REPLY_DOMAIN ?? (env.PUBLIC_URL ? new URL(env.PUBLIC_URL).hostname : 'localhost');
}

export interface ServiceHooks {
  /**
   * The embedded PostgreSQL died and will not be restarted (see EMBEDDED_POSTGRES_RESTARTS). main.ts exits;
   * without this hook the node stays up reporting it (/healthz 503).
   */
  onDatabaseLost?: (error: Error) => void;
  /**
   * False: this node runs no mail sweeps (unseen replies, missed chats, digests). For tests that compare
   * the database before and after a refused call over minutes, where a sweep's write would be noise.
   */
  mailSweeps?: boolean;
  /** The outbox handlers to run instead of Parley's own (tests bring their own topics). */
  outboxHandlers?: (ctx: DomainContext) => OutboxHandlerRegistry;
}

export async function startServices(env: Env, log: Logger, hooks: ServiceHooks = {}): Promise<Services> {
  const nodeId = env.NODE_ID ?? `${hostname()}:${process.pid}`;
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const step of stops.reverse())
      await step().catch((error) => log.warn({ err: error }, 'stop step failed'));
  };
  try {
    let connectionString = env.DATABASE_URL;
    let databaseLabel = 'DATABASE_URL';
    const health: Services['health'] = {};
    if (!connectionString) {
      const embedded = await startEmbeddedPostgres(env.DATA_DIR, log, {
        maxRestarts: env.EMBEDDED_POSTGRES_RESTARTS,
        onGiveUp: hooks.onDatabaseLost,
      });
      stops.push(() => embedded.stop());
      connectionString = embedded.connectionString;
      databaseLabel = `embedded PostgreSQL in ${env.DATA_DIR}`;
      health.embeddedDatabase = embedded.state;
    }
    const timeouts = {
      connectMs: env.DATABASE_CONNECT_TIMEOUT_MS,
      statementMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
    };
    const database = connectDatabase(connectionString, 20, log, timeouts);
    stops.push(() => database.close());
    // Tracking commits asynchronously: waiting for the disk on every loader batch made the chat's own
    // commits queue behind tracking's at the WAL flush (IO:WALSync was the top wait in the ingest
    // benchmark). A database crash may lose the last ~0.6 s of page views; the chat loses nothing.
    const trackingDatabase = connectDatabase(
      connectionString,
      env.TRACKING_DB_CONNECTIONS,
      log,
      timeouts,
      // Its few statements run hundreds of times a second: planned once per connection.
      { synchronousCommit: 'off', preparedStatements: 200 },
    );
    stops.push(() => trackingDatabase.close());
    const applied = await migrate(database.pool);
    if (applied.length > 0) log.info({ applied }, 'migrations applied');
    const stopSweeps = scheduleExpiredSessionSweeps(database.db, log);
    stops.push(async () => stopSweeps());
    const files = createFsFileStore(env.FILES_DIR ?? join(env.DATA_DIR, 'files'));
    const stopFileSweeps = scheduleOrphanFileSweeps(database.db, files, log, {
      maxAgeMs: env.FILE_ORPHAN_HOURS * 60 * 60 * 1000,
    });
    stops.push(async () => stopFileSweeps());
    stops.push(scheduleSearchIndexing(database.db, log));

    let bus: EventBus;
    let presence: PresenceStore;
    let rateLimiter: RateLimiter;
    let viewers: ViewerStore;
    if (env.REDIS_URL) {
      // Every Redis use degrades to local behaviour while Redis is away (see each implementation).
      const commandTimeoutMs = env.REDIS_COMMAND_TIMEOUT_MS;
      const namespace = redisNamespace(await loadOrCreateInstallationId(database.db));
      bus = await RedisEventBus.connect(env.REDIS_URL, namespace, log, { commandTimeoutMs });
      stops.push(() => bus.close());
      presence = await RedisPresenceStore.connect(env.REDIS_URL, nodeId, namespace, {
        commandTimeoutMs,
        log,
      });
      stops.push(() => presence.close());
      const redis = await connectRedis(env.REDIS_URL, { commandTimeoutMs, role: 'rate limits' }, log);
      stops.push(async () => void (await redis.quit().catch(() => {})));
      rateLimiter = new RedisRateLimiter(redis, namespace, new InMemoryRateLimiter(), log);
      viewers = new RedisViewerStore(redis, namespace, log);
      health.pingRedis = () => redis.ping();
    } else {
      bus = new InProcessEventBus();
      presence = new InProcessPresenceStore();
      rateLimiter = new InMemoryRateLimiter();
      viewers = new InProcessViewerStore();
    }

    const secret = env.PARLEY_SECRET ?? (await loadOrCreateSecret(database.db, 'visitor_token_key'));
    const ctx: DomainContext = {
      db: database.db,
      messageAppender: new MessageAppender(database.pool, { log }),
      bus,
      presence,
      viewers,
      log,
    };
    const mail = mailSetup(env);
    stops.push(async () => mail.transport?.close());
    const outbox = new OutboxWorker({
      database,
      handlers: hooks.outboxHandlers ? hooks.outboxHandlers(ctx) : parleyOutboxHandlers(ctx, mail),
      nodeId,
      log,
    });
    await outbox.start();
    stops.push(() => outbox.stop());
    const stopEscalations = scheduleEscalationSweeps(ctx, log);
    stops.push(async () => stopEscalations());
    if (hooks.mailSweeps !== false) {
      const stopMailSweeps = scheduleMailSweeps(ctx.db, log);
      stops.push(async () => stopMailSweeps());
    }
    return {
      nodeId,
      mail,
      database,
      trackingDatabase,
      files,
      ctx,
      bus,
      outbox,
      inboundMail: {
        ctx,
        files,
        replyDomain: replyDomainOf(env),
        maxBytes: env.INBOUND_MAIL_MAX_BYTES,
      },
      signer: createVisitorTokenSigner(secret, env.VISITOR_TOKEN_DAYS * 24 * 3600 * 1000),
      rateLimiter,
      countries: await openCountryLookup(),
      databaseLabel,
      health,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
