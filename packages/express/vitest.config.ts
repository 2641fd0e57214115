import { defineProject, mergeConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared.ts';

export default mergeConfig(
  sharedConfig,
  defineProject({
    test: {
      name: 'express',
      include: ['src/**/*.test.ts'],
      environment: 'node',
      // The Redis suite starts its own redis-server (or shares REDIS_URL): give it time to boot.
      hookTimeout: 60_000,
      testTimeout: 30_000,
    },
  }),
);
