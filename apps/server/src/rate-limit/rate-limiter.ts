/**
 * Fixed-window rate limits: in memory for one node, in Redis for many (so a
 * visitor cannot multiply the limit by reconnecting to another node).
 */
import type { Redis } from 'ioredis';

export interface RateLimiter {
  /** Counts one hit on `key`; true while the count in the current window is within `limit`. */
  hit(key: string, limit: number, windowMs: number): Promise<boolean>;
  /**
   * Takes back one hit counted in the current window (never below zero): for
   * limits that count every attempt up front, atomically, and forgive the ones
   * that turn out fine (a successful login).
   */
  release(key: string): Promise<void>;
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

  async release(key: string): Promise<void> {
    const window = this.windows.get(key);
    if (window && window.resetAt > Date.now() && window.count > 0) window.count -= 1;
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
  }
}

const RELEASE_SCRIPT = `if (tonumber(redis.call('get', KEYS[1]) or '0') > 0) then redis.call('decr', KEYS[1]) end`;

export class RedisRateLimiter implements RateLimiter {
  constructor(private readonly redis: Redis) {}

  async hit(key: string, limit: number, windowMs: number): Promise<boolean> {
    const redisKey = `parley:rate:${key}`;
    const [[, count]] = (await this.redis
      .multi()
      .incr(redisKey)
      .pexpire(redisKey, windowMs, 'NX')
      .exec()) as [[Error | null, number]];
    return count <= limit;
  }

  async release(key: string): Promise<void> {
    // One script, so a window that expires between the check and the decrement is never recreated without a TTL.
    await this.redis.eval(RELEASE_SCRIPT, 1, `parley:rate:${key}`);
  }
}
