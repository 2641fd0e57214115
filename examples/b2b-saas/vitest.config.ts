import { defineProject, mergeConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared.ts';

export default mergeConfig(
  sharedConfig,
  defineProject({
    test: {
      name: 'example-b2b-saas',
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      environment: 'node',
      // A browser journey of several pages: generous per-test limits, never timed assertions.
      testTimeout: 60_000,
      hookTimeout: 60_000,
    },
  }),
);
