import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'machines/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 20_000,
    tags: [
      {
        name: 'topology',
        description:
          'Suites that start their own Redis Sentinel sets, Clusters or TLS servers (or use the shared cluster); CI runs them, `--tagsFilter=!topology` leaves them out.',
      },
    ],
    hookTimeout: 30_000,
  },
});
