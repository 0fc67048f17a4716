import { defineConfig } from 'vitest/config';

// Server tests run in parallel files against real PostgreSQL/Redis; browser
// tests (e2e/) start real Parley processes and Chromium, so they get more time.
export default defineConfig({
  test: {
    include: ['apps/**/*.test.ts', 'packages/**/*.test.ts', 'e2e/**/*.test.ts'],
    // The budget tests time the widget in Chromium: they run alone afterwards (vitest.budgets.config.ts),
    // since on 2 cores parallel browser tests would be timed along with it.
    exclude: ['**/node_modules/**', '**/dist/**', 'e2e/**/*budgets*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // expect.poll waits for something to become true (a live event, a redraw, a row written): 1 s, its
    // default, is tight on a loaded CI machine (a full run here sees load 4–14 on 2 cores), and a
    // real failure still fails, only later.
    expect: { poll: { timeout: 10_000 } },
    pool: 'forks',
    maxWorkers: 2,
    // JSON results let .ci/run print a plain 'N passed, N failed' closing line.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results.json' },
  },
});
