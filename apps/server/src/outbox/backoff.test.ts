import { describe, expect, it } from 'vitest';
import { backoffDelay, OUTBOX_BACKOFF } from './backoff.js';

describe('backoffDelay', () => {
  const backoff = { baseMs: 1000, capMs: 10_000 };

  it('doubles its ceiling with each attempt, from half to all of it', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, backoff, () => 0))).toEqual([500, 1000, 2000, 4000]);
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, backoff, () => 1))).toEqual([1000, 2000, 4000, 8000]);
  });

  it('never waits longer than the cap, however many attempts', () => {
    expect(backoffDelay(5, backoff, () => 1)).toBe(10_000);
    expect(backoffDelay(5000, backoff, () => 1)).toBe(10_000);
    expect(backoffDelay(5000, backoff, () => 0)).toBe(5000);
  });

  it('spreads rows that failed together', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(3, OUTBOX_BACKOFF)));
    expect(delays.size).toBeGreaterThan(10);
  });
});
