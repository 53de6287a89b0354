import { defineConfig } from 'vitest/config';

// Tests sit beside the code they test (`*.test.ts`) and integration tests under test/.
// Integration tests start real servers, so they get generous hook timeouts; no test asserts wall-clock speed.
export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'data/**', 'out/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
