import { defineConfig } from 'vitest/config';

// Two cores: keep the worker pool small so integration suites (simulator, databases) do not starve.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'ui/src/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 20_000,
    hookTimeout: 30_000,
    setupFiles: ['test/support/setup.ts'],
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      exclude: ['src/**/*.test.ts', 'src/**/index.ts', 'src/cli/main.ts', 'ui/**'],
      reporter: ['text-summary', 'json-summary', 'html'],
      thresholds: { lines: 80 },
    },
  },
});
