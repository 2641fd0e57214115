import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('the README example', () => {
  it('runs with no provider account: a delivered code approves, a failed SMS falls back to email', async () => {
    const script = fileURLToPath(new URL('./sandboxQuickstart.ts', import.meta.url));
    const { stdout } = await run(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', script],
      {
        cwd: fileURLToPath(new URL('../..', import.meta.url)),
        timeout: 20_000,
      },
    );
    expect(stdout).toMatch(/\n@console\.acme\.example #\d{6}\n/);
    expect(stdout).toContain('es tu código de verificación de Acme');
    expect(stdout).toContain('check: approved');
    expect(stdout).toContain('fallback: sms=failed, email=delivered');
  });
});
