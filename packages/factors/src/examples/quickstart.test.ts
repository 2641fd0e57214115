import { describe, expect, it } from 'vitest';
import { quickstart } from './quickstart.js';

describe('the README example', () => {
  it('runs as written', async () => {
    expect(await quickstart()).toEqual({
      confirmed: 'approved',
      replay: 'failed',
      codes: 10,
      recovered: 'approved',
      seen: 'recognised',
    });
  });
});
