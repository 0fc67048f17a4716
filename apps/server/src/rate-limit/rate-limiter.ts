/**
 * Fixed-window rate limits: in memory for one node, in Redis for many (so a
 * visitor cannot multiply the limit by reconnecting to another node). While
 * Redis is away the Redis limiter counts in memory instead: limits then hold
 * per node, and nobody is refused for an outage that is not theirs.
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { isRedisReady } from '../redis/connect.js';
import type { RedisNamespace } from '../redis/namespace.js';

/** One of several limits one action counts against. */
export interface Budget {
  key: string;
  limit: number;
}

export interface RateLimiter {
  /** Counts one hit on `key`; true while the count in the current window is within `limit`. */
  hit(key: string, limit: number, windowMs: number): Promise<boolean>;
  /**
   * Counts one hit on each budget in order, stopping at the first that is over
   * its limit (a hit refused there is not counted against the ones after it);
   * returns that budget's index, or -1 when every one is within its limit.
   * One call (one Redis round trip) for what would be a `hit` per budget.
   */
  hitEach(budgets: readonly Budget[], windowMs: number): Promise<number>;
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
    return this.count(key, limit, windowMs, Date.now());
  }

  async hitEach(budgets: readonly Budget[], windowMs: number): Promise<number> {
    const now = Date.now();
    return budgets.findIndex(({ key, limit }) => !this.count(key, limit, windowMs, now));
  }

  private count(key: string, limit: number, windowMs: number, now: number): boolean {
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

/**
 * `hitEach` in one round trip: KEYS are the budgets' keys, ARGV[1] the window
 * and ARGV[2..] their limits. Like `hit`, a key's window starts with its first
 * hit and is never extended. Returns the 0-based index of the first budget
 * over its limit, or -1.
 */
const HIT_EACH_SCRIPT = `
for i, key in ipairs(KEYS) do
  local count = redis.call('incr', key)
  if redis.call('pttl', key) < 0 then redis.call('pexpire', key, ARGV[1]) end
  if count > tonumber(ARGV[i + 1]) then return i - 1 end
end
return -1`;

export class RedisRateLimiter implements RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly namespace: RedisNamespace,
    /** Counts while Redis is away (not connected, or a command failed or timed out). */
    private readonly fallback: RateLimiter = new InMemoryRateLimiter(),
    private readonly log?: Logger,
  ) {}

  private redisKey(key: string): string {
    return `${this.namespace}:rate:${key}`;
  }

  async hit(key: string, limit: number, windowMs: number): Promise<boolean> {
    if (!isRedisReady(this.redis)) return this.fallback.hit(key, limit, windowMs);
    const redisKey = this.redisKey(key);
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

  async hitEach(budgets: readonly Budget[], windowMs: number): Promise<number> {
    if (!isRedisReady(this.redis)) return this.fallback.hitEach(budgets, windowMs);
    try {
      const keys = budgets.map((b) => this.redisKey(b.key));
      const limits = budgets.map((b) => b.limit);
      return Number(await this.redis.eval(HIT_EACH_SCRIPT, keys.length, ...keys, windowMs, ...limits));
    } catch (error) {
      this.log?.debug(
        { err: error, keys: budgets.map((b) => b.key) },
        'rate limits counted locally: redis failed',
      );
      return this.fallback.hitEach(budgets, windowMs);
    }
  }

  async release(key: string): Promise<void> {
    // Given back where it would have been counted now: in Redis, or locally while Redis is away.
    if (!isRedisReady(this.redis)) return this.fallback.release(key);
    try {
      // One script, so a window that expires between the check and the decrement is never recreated without a TTL.
      await this.redis.eval(RELEASE_SCRIPT, 1, this.redisKey(key));
    } catch (error) {
      this.log?.debug({ err: error, key }, 'rate limit released locally: redis failed');
      await this.fallback.release(key);
    }
  }
}
