/**
 * Fixed-window rate limits: in memory for one node, in Redis for many (so a
 * visitor cannot multiply the limit by reconnecting to another node). While
 * Redis is away the Redis limiter counts in memory instead: limits then hold
 * per node, and nobody is refused for an outage that is not theirs.
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { isRedisReady } from '../redis/connect.js';

export interface RateLimiter {
  /** Counts one hit on `key`; true while the count in the current window is within `limit`. */
  hit(key: string, limit: number, windowMs: number): Promise<boolean>;
  /** True when `key` already has `limit` hits in the current window (counts nothing). */
  exhausted(key: string, limit: number): Promise<boolean>;
}

export class InMemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  async hit(key: string, limit: number, windowMs: number): Promise<boolean> {
    const now = Date.now();
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + windowMs };
      this.windows.set(key, window);
      if (this.windows.size > 100_000) this.sweep(now);
    }
    window.count += 1;
    return window.count <= limit;
  }

  async exhausted(key: string, limit: number): Promise<boolean> {
    const window = this.windows.get(key);
    return window !== undefined && window.resetAt > Date.now() && window.count >= limit;
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
  }
}

export class RedisRateLimiter implements RateLimiter {
  constructor(
    private readonly redis: Redis,
    /** Counts while Redis is away (not connected, or a command failed or timed out). */
    private readonly fallback: RateLimiter = new InMemoryRateLimiter(),
    private readonly log?: Logger,
  ) {}

  async hit(key: string, limit: number, windowMs: number): Promise<boolean> {
    if (!isRedisReady(this.redis)) return this.fallback.hit(key, limit, windowMs);
    const redisKey = `parley:rate:${key}`;
    try {
      const [[error, count]] = (await this.redis
        .multi()
        .incr(redisKey)
        .pexpire(redisKey, windowMs, 'NX')
        .exec()) as [[Error | null, number]];
      if (error) throw error;
      return count <= limit;
    } catch (error) {
      this.log?.debug({ err: error, key }, 'rate limit counted locally: redis failed');
      return this.fallback.hit(key, limit, windowMs);
    }
  }

  async exhausted(key: string, limit: number): Promise<boolean> {
    if (!isRedisReady(this.redis)) return this.fallback.exhausted(key, limit);
    try {
      const count = await this.redis.get(`parley:rate:${key}`);
      return count !== null && Number(count) >= limit;
    } catch (error) {
      this.log?.debug({ err: error, key }, 'rate limit read locally: redis failed');
      return this.fallback.exhausted(key, limit);
    }
  }
}
