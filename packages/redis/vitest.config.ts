import { defineProject, mergeConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared.ts';

export default mergeConfig(
  sharedConfig,
  defineProject({
    test: {
      name: 'redis',
      include: ['src/**/*.test.ts'],
      environment: 'node',
      // Tests start their own redis-server processes (or share REDIS_URL): give them time to boot.
      hookTimeout: 60_000,
      testTimeout: 30_000,
    },
  }),
);
