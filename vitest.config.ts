import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedConfig } from './vitest.shared.ts';

// .ci/run sets VITEST_JSON_REPORT to a file path: `pnpm test` runs typecheck and lint before
// vitest, so the JSON reporter is switched on here rather than by a CLI flag.
const jsonReport = process.env['VITEST_JSON_REPORT'];

export default mergeConfig(
  sharedConfig,
  defineConfig({
    test: {
      // Globs, so a folder without a vitest.config.ts (or a missing test/) is simply skipped.
      projects: [
        'packages/*/vitest.config.ts',
        'examples/*/vitest.config.ts',
        'test/vitest.config.{ts,mts}',
      ],
      ...(jsonReport ? { reporters: ['default', 'json'], outputFile: { json: jsonReport } } : {}),
    },
  }),
);
