/** Exponential backoff with jitter, shared by reconnects, HTTP retries and outbox retries. */

/** Delay before retry number `attempt` (0-based): 0.5 s, 1 s, 2 s … capped at 15 s, each ±25 %. */
export function backoffDelay(attempt: number): number {
  const base = Math.min(15_000, 500 * 2 ** attempt);
  return base * (0.75 + Math.random() * 0.5);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
