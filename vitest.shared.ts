import type { ViteUserConfig } from 'vitest/config';

/**
 * Resolution settings every Vitest project needs. Project config files do not inherit the root
 * config, so each package's vitest.config.ts merges this in with `mergeConfig`.
 *
 * `source` comes first: a package's tests import siblings by name and get their `src/`, no build
 * needed. Node tests resolve through the SSR environment, which reads `ssr.resolve.conditions`,
 * not `resolve.conditions` (MACHINE-NOTES.md). The rest of each list is Vite's default.
 */
export const sharedConfig = {
  resolve: { conditions: ['source', 'module', 'browser', 'development|production'] },
  ssr: { resolve: { conditions: ['source', 'module', 'node', 'development|production'] } },
} satisfies ViteUserConfig;
