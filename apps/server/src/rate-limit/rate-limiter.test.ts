/**
 * `release(key)` gives back one counted hit, on both limiters: in Redis while
 * it is there, and in the Redis limiter's local fallback while it is away
 * (where the hit was counted then). `hitEach` counts several budgets in one
 * call exactly as a `hit` per budget in order would, stopping at the first
 * that is over. Against a Redis of the test's own, so it can be killed.
 */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis } from '../redis/connect.js';
import { type OwnRedis, startOwnRedis } from '../testing/redis-server.js';
import { InMemoryRateLimiter, type RateLimiter, RedisRateLimiter } from './rate-limiter.js';

const MINUTE = 60_000;

/** Hits `key` until refused; how many were let through. */
async function allowed(limiter: RateLimiter, key: string, limit: number): Promise<number> {
  let count = 0;
  while (await limiter.hit(key, limit, MINUTE)) count += 1;
  return count;
}

/** What `hitEach` promises, on any limiter: counted in order, stopped at the first over, the rest untouched. */
async function expectHitEachInOrder(limiter: RateLimiter, prefix: string): Promise<void> {
  const budgets = [
    { key: `${prefix}-visitor`, limit: 3 },
    { key: `${prefix}-ip`, limit: 2 },
    { key: `${prefix}-site`, limit: 10 },
  ];
  expect(await limiter.hitEach(budgets, MINUTE)).toBe(-1);
  expect(await limiter.hitEach(budgets, MINUTE)).toBe(-1);
  // The third: within the visitor's 3, past the IP's 2; the site's budget is not counted.
  expect(await limiter.hitEach(budgets, MINUTE)).toBe(1);
  // The fourth is refused by the visitor's own budget, before the IP's is counted again.
  expect(await limiter.hitEach(budgets, MINUTE)).toBe(0);
  expect(await allowed(limiter, `${prefix}-site`, 10)).toBe(8); // two counted of ten
  expect(await allowed(limiter, `${prefix}-ip`, 4)).toBe(1); // three counted of four
}

describe('InMemoryRateLimiter.hitEach', () => {
  it('counts budgets in order and stops at the first over its limit', () =>
    expectHitEachInOrder(new InMemoryRateLimiter(), 'each'));
});

describe('InMemoryRateLimiter.release', () => {
  it('gives one hit back, never below zero', async () => {
    const limiter = new InMemoryRateLimiter();
    await limiter.release('k'); // nothing counted: no credit
    expect(await limiter.hit('k', 2, MINUTE)).toBe(true);
    expect(await limiter.hit('k', 2, MINUTE)).toBe(true);
    await limiter.release('k');
    expect(await limiter.hit('k', 2, MINUTE)).toBe(true);
    expect(await limiter.hit('k', 2, MINUTE)).toBe(false);
  });
});

describe('RedisRateLimiter.release', () => {
  let own: OwnRedis;
  let redis: Redis;

  beforeAll(async () => {
    own = await startOwnRedis();
    redis = await connectRedis(own.url, { commandTimeoutMs: 500, role: 'test' });
  });
  afterAll(async () => {
    redis?.disconnect();
    await own?.stop();
  });

  it('gives a hit back in Redis, never below zero, and keeps the window expiring', async () => {
    const limiter = new RedisRateLimiter(redis, 'parley:test');
    await limiter.release('in-redis');
    expect(await redis.exists('parley:test:rate:in-redis')).toBe(0); // no key made, so no credit
    expect(await allowed(limiter, 'in-redis', 3)).toBe(3);
    await limiter.release('in-redis');
    await limiter.release('in-redis');
    expect(await allowed(limiter, 'in-redis', 3)).toBe(1); // 4 counted (one refused), 2 given back
    expect(await redis.pttl('parley:test:rate:in-redis')).toBeGreaterThan(0);
  });

  it('hitEach counts budgets in order in one round trip, each key with its own expiring window', async () => {
    const limiter = new RedisRateLimiter(redis, 'parley:test');
    await expectHitEachInOrder(limiter, 'each');
    const ttl = await redis.pttl('parley:test:rate:each-visitor');
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(MINUTE);
    // A later hit does not extend the window.
    await new Promise((resolve) => setTimeout(resolve, 20));
    await limiter.hitEach([{ key: 'each-visitor', limit: 100 }], MINUTE);
    expect(await redis.pttl('parley:test:rate:each-visitor')).toBeLessThan(ttl);
  });

  it('while Redis is away, hitEach counts in the fallback', async () => {
    const fallback = new InMemoryRateLimiter();
    const limiter = new RedisRateLimiter(redis, 'parley:test', fallback);
    await own.kill();
    await expect.poll(() => redis.status, { timeout: 5_000 }).not.toBe('ready');
    await expectHitEachInOrder(limiter, 'each-away');
    expect(await fallback.hit('each-away-site', 3, MINUTE)).toBe(false); // the fallback holds the counts
    await own.restart();
    await expect.poll(() => redis.status, { timeout: 10_000 }).toBe('ready');
  }, 20_000);

  it('while Redis is away, gives back in the fallback where the hit was counted', async () => {
    const fallback = new InMemoryRateLimiter();
    const limiter = new RedisRateLimiter(redis, 'parley:test', fallback);
    await own.kill();
    await expect.poll(() => redis.status, { timeout: 5_000 }).not.toBe('ready');
    expect(await limiter.hit('away', 2, MINUTE)).toBe(true);
    expect(await limiter.hit('away', 2, MINUTE)).toBe(true);
    await limiter.release('away');
    // The fallback itself has room for exactly one again.
    expect(await fallback.hit('away', 2, MINUTE)).toBe(true);
    expect(await fallback.hit('away', 2, MINUTE)).toBe(false);
    await own.restart();
    await expect.poll(() => redis.status, { timeout: 10_000 }).toBe('ready');
  }, 20_000);
});
