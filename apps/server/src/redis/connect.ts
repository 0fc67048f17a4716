/**
 * How every Redis connection of Parley is made. Commands are bounded in time
 * (REDIS_COMMAND_TIMEOUT_MS) and fail at once while the connection is down
 * (no offline queue), so callers fall back to local behaviour instead of
 * waiting; ioredis keeps reconnecting in the background, forever. Losing and
 * regaining the connection is logged once each way.
 */
import { Redis } from 'ioredis';
import type { Logger } from '../logger.js';

export interface RedisConnectOptions {
  /** A command not answered within this fails. */
  commandTimeoutMs: number;
  /** What the connection is for, in logs. */
  role: string;
  /** A subscriber only (re)subscribes: it keeps ioredis's queue so it re-subscribes after a reconnect. */
  subscriber?: boolean;
}

export const DEFAULT_REDIS_COMMAND_TIMEOUT_MS = 1_000;

/** Connects (rejecting when Redis does not answer at start, so a wrong REDIS_URL is noticed at once). */
export async function connectRedis(url: string, options: RedisConnectOptions, log?: Logger): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    ...(options.subscriber
      ? {}
      : { commandTimeout: options.commandTimeoutMs, enableOfflineQueue: false, maxRetriesPerRequest: 1 }),
    // Reconnect forever, at least every second: Redis coming back must be noticed soon (events to other nodes wait for it).
    retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
  });
  let lost = false;
  redis.on('error', (error) => log?.debug({ err: error, role: options.role }, 'redis error'));
  // 'reconnecting' (not 'close'): a quit() at shutdown is not a loss.
  redis.on('reconnecting', () => {
    if (lost) return;
    lost = true;
    log?.warn({ role: options.role }, 'redis connection lost; carrying on without it');
  });
  redis.on('ready', () => {
    if (!lost) return;
    lost = false;
    log?.info({ role: options.role }, 'redis connection back');
  });
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw new Error(`Redis at ${redactUrl(url)} does not answer (${(error as Error).message})`);
  }
  return redis;
}

/** True while commands can be sent (connected and past the handshake). */
export const isRedisReady = (redis: Redis) => redis.status === 'ready';

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'REDIS_URL';
  }
}
