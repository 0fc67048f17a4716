/** Polling for tests: waits until an asynchronous check holds, failing the test past a timeout. */

/**
 * Resolves once `check` answers true; throws after `timeoutMs`.
 * @example await waitUntil(async () => (await listTestEffects(db)).length === 1, 4_000);
 */
export async function waitUntil(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}
