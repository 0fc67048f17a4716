import { defineConfig } from 'vitest/config';

// Size and main-thread budgets of the widget, run alone after the main suite so that no other
// browser test competes for the 2 cores while the loader's main-thread time is measured.
export default defineConfig({
  test: {
    include: ['e2e/**/*budgets*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 1,
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results-budgets.json' },
  },
});
