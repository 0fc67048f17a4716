/**
 * Wires the infrastructure: database (embedded or DATABASE_URL), migrations,
 * event bus and presence (in-process or Redis), rate limiter, token signer.
 * `stop()` releases them in the reverse order.
 */
import { hostname } from 'node:os';
import { Redis } from 'ioredis';
import { connectDatabase, type DatabaseHandle } from './db/database.js';
import { startEmbeddedPostgres } from './db/embedded-postgres.js';
import { migrate } from './db/migrate.js';
import type { Env } from './env.js';
import { type EventBus, InProcessEventBus } from './events/event-bus.js';
import { RedisEventBus } from './events/redis-event-bus.js';
import type { Logger } from './logger.js';
import type { DomainContext } from './modules/context.js';
import { MessageAppender } from './modules/conversations/message-appender.js';
import { loadOrCreateSecret } from './modules/installation/secrets.js';
import { scheduleExpiredSessionSweeps } from './modules/operators/sessions.js';
import { type CountryLookup, openCountryLookup } from './modules/visitors/geolocation.js';
import { createVisitorTokenSigner, type VisitorTokenSigner } from './modules/visitors/tokens.js';
import { InProcessPresenceStore, type PresenceStore } from './presence/presence-store.js';
import { RedisPresenceStore } from './presence/redis-presence-store.js';
import { InMemoryRateLimiter, type RateLimiter, RedisRateLimiter } from './rate-limit/rate-limiter.js';

export interface Services {
  nodeId: string;
  database: DatabaseHandle;
  ctx: DomainContext;
  bus: EventBus;
  signer: VisitorTokenSigner;
  rateLimiter: RateLimiter;
  countries: CountryLookup;
  /** Where the database lives, for the start-up banner. */
  databaseLabel: string;
  stop(): Promise<void>;
}

export async function startServices(env: Env, log: Logger): Promise<Services> {
  const nodeId = env.NODE_ID ?? `${hostname()}:${process.pid}`;
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const step of stops.reverse())
      await step().catch((error) => log.warn({ err: error }, 'stop step failed'));
  };
  try {
    let connectionString = env.DATABASE_URL;
    let databaseLabel = 'DATABASE_URL';
    if (!connectionString) {
      const embedded = await startEmbeddedPostgres(env.DATA_DIR, log);
      stops.push(() => embedded.stop());
      connectionString = embedded.connectionString;
      databaseLabel = `embedded PostgreSQL in ${env.DATA_DIR}`;
    }
    const database = connectDatabase(connectionString, 20, log);
    stops.push(() => database.close());
    const applied = await migrate(database.pool);
    if (applied.length > 0) log.info({ applied }, 'migrations applied');
    const stopSweeps = scheduleExpiredSessionSweeps(database.db, log);
    stops.push(async () => stopSweeps());

    let bus: EventBus;
    let presence: PresenceStore;
    let rateLimiter: RateLimiter;
    if (env.REDIS_URL) {
      bus = await RedisEventBus.connect(env.REDIS_URL, log);
      stops.push(() => bus.close());
      presence = await RedisPresenceStore.connect(env.REDIS_URL, nodeId);
      stops.push(() => presence.close());
      const redis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: 3 });
      stops.push(async () => void (await redis.quit().catch(() => {})));
      rateLimiter = new RedisRateLimiter(redis);
    } else {
      bus = new InProcessEventBus();
      presence = new InProcessPresenceStore();
      rateLimiter = new InMemoryRateLimiter();
    }

    const secret = env.PARLEY_SECRET ?? (await loadOrCreateSecret(database.db, 'visitor_token_key'));
    return {
      nodeId,
      database,
      ctx: {
        db: database.db,
        messageAppender: new MessageAppender(database.pool, { log }),
        bus,
        presence,
        log,
      },
      bus,
      signer: createVisitorTokenSigner(secret, env.VISITOR_TOKEN_DAYS * 24 * 3600 * 1000),
      rateLimiter,
      countries: await openCountryLookup(),
      databaseLabel,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
