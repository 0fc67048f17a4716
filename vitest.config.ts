import { defineConfig } from 'vitest/config';

// Server tests run in parallel files against real PostgreSQL/Redis; browser
// tests (e2e/) start real Parley processes and Chromium, so they get more time.
export default defineConfig({
  test: {
    include: ['apps/**/*.test.ts', 'packages/**/*.test.ts', 'e2e/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    // JSON results let .ci/run print a plain 'N passed, N failed' closing line.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results.json' },
  },
});
