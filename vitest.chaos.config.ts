import { defineConfig } from 'vitest/config';

// `npm run test:chaos`: the long chaos runs of issue 9 (minutes each): many kill -9 of the ingest
// process, an InfluxDB outage of several minutes, repeated broker restarts. One file at a time,
// so that the load generators do not compete for the two cores. Short versions of the same
// scenarios run in `npm test` (test/chaos/*.test.ts).
export default defineConfig({
  test: {
    include: ['test/chaos/**/*.chaos.ts'],
    exclude: ['node_modules/**', 'data/**', 'out/**'],
    testTimeout: 30 * 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
