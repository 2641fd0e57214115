import { expect, it } from 'vitest';
import { quickstart } from './quickstart.js';

it('runs the README example: a wrong code fails, the right one is approved, every step is audited', async () => {
  const lines: string[] = [];
  expect(await quickstart((line) => lines.push(line))).toEqual(['failed', 'approved']);
  expect(lines.at(-1)).toBe(
    'audit trail: verification.requested, verification.dispatched (sent), verification.checked (failed), verification.checked (approved), verification.approved (approved)',
  );
});
