// The README's uptake example, run as a reader would run it: its printed lines must be the ones
// the README shows under it.
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('the README uptake example', () => {
  it('prints what the README says it prints', async () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const block = /A runnable example[^]*?```ts\n([^]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const source = block ?? '';
    const shown = source
      .split('\n')
      .filter((line) => line.startsWith('// checkpoint_'))
      .map((line) => line.slice(3));
    expect(shown.length).toBeGreaterThan(0);
    // Inside the package (not under node_modules), so that `@checkpoint/observability` resolves
    // to this package's source and the file is an ES module.
    const dir = join(root, `.readme-example-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'uptake.ts');
    writeFileSync(file, source);
    try {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', '--conditions=source', file],
        { cwd: root },
      );
      expect(stdout.trim().split('\n')).toEqual(shown);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
