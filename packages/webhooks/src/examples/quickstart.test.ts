import { describe, expect, it } from 'vitest';
import { webhooksQuickstart } from './quickstart.js';

describe('the README quickstart', () => {
  it('delivers a failed and an approved event to a verifying receiver', async () => {
    const lines: string[] = [];
    const events = await webhooksQuickstart((line) => lines.push(line));
    expect(events.map((event) => event.type).sort()).toEqual([
      'verification.approved',
      'verification.failed',
    ]);
    expect(lines).toContain('received verification.approved (approved) for +1********00');
  });
});
