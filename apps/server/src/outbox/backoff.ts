/**
 * How long a failed outbox row waits before its next attempt: exponential,
 * capped, with jitter so rows that failed together (an SMTP server that was
 * down) don't all come back in the same instant.
 */

export interface Backoff {
  /** The ceiling of the first retry's delay. */
  baseMs: number;
  /** No delay is longer than this. */
  capMs: number;
}

/** 5 s, 10 s, 20 s … up to an hour between attempts. */
export const OUTBOX_BACKOFF: Backoff = { baseMs: 5_000, capMs: 3_600_000 };

/**
 * The delay after failed attempt number `attempt` (1-based): "equal jitter" —
 * between half and all of `min(cap, base · 2^(attempt−1))`, so delays grow
 * for sure while still spreading out.
 */
export function backoffDelay(attempt: number, backoff: Backoff, random: () => number = Math.random): number {
  const ceiling = Math.min(backoff.capMs, backoff.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
