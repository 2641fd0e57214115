// @ts-check
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    ignores: ['**/dist/', '**/node_modules/', '**/coverage/', '**/.vitest*/', '.ci-artifacts/'],
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          // Root config files and scripts belong to no tsconfig.json; type them with the base
          // options. typescript-eslint caps this at 8 files: give scripts a tsconfig past that.
          allowDefaultProject: ['*.js', '*.ts', 'scripts/*.mjs', 'scripts/*.ts'],
          defaultProject: 'tsconfig.base.json',
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      // An async function without await is a common, harmless way to return a promise.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'separate-type-imports' },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // Per-package Vitest configs sit outside their package's tsconfig (rootDir is src/), and
    // there is one per package: lint them without type information.
    files: ['packages/*/vitest.config.*', 'examples/*/vitest.config.*', 'test/vitest.config.*'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    // TypeScript checks names in .ts files; plain JS here is config and scripts run by Node.
    files: ['**/*.{js,mjs,cjs}'],
    rules: { 'no-undef': 'off' },
  },
);
