import { defineProject, mergeConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared.ts';

export default mergeConfig(
  sharedConfig,
  defineProject({
    test: {
      name: 'passport',
      include: ['src/**/*.test.ts'],
      environment: 'node',
      // The Redis suites start their own redis-server (or share REDIS_URL): give them time to boot.
      hookTimeout: 60_000,
      testTimeout: 30_000,
    },
  }),
);
