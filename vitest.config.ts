import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup/fast-check-seed.ts'],
    // One throwaway PostgreSQL server per run for test/postgres (skipped without the binaries, failed in CI).
    globalSetup: ['test/setup/postgres-global.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Off unless asked (`--coverage`, which `npm test` and so CI pass), so that a run of a few
    // files stays fast. Code the CLI tests run in child processes is not counted.
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      reporter: ['text-summary', 'json-summary'],
      reportsDirectory: 'coverage',
      // Floors for the pure stages whose rules the tests are meant to pin down branch by
      // branch; each glob is checked over its files together. Only meaningful for a run of
      // the whole suite: a run of a few files fails them.
      thresholds: {
        'src/plan/**': { branches: 95 },
        'src/resolve/**': { branches: 95 },
        'src/input/**': { branches: 95 },
      },
    },
  },
});
