import { describe, expect, it } from 'vitest';
import { ADA, BOB, harness } from '../fixtures/harness.js';

describe('recoveryCodes.generate', () => {
  it('makes 10 distinct codes, shown once and kept only as keyed hashes', async () => {
    const { factors, store } = harness();
    const { codes } = await factors.recoveryCodes.generate({ owner: ADA });
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}$/);
    expect(await factors.recoveryCodes.status(ADA)).toEqual({
      remaining: 10,
      createdAt: expect.any(Number) as unknown,
    });
    // What the store holds: hashes that are not the codes.
    const held = await store.useRecoveryCode(ADA, []);
    expect(held).toEqual({ used: false });
  });

  it('replaces the whole set: codes of the previous set stop working', async () => {
    const { factors } = harness();
    const first = await factors.recoveryCodes.generate({ owner: ADA });
    await factors.recoveryCodes.generate({ owner: ADA });
    expect(await factors.recoveryCodes.use({ owner: ADA, code: first.codes[0] as string })).toEqual(
      {
        status: 'failed',
      },
    );
  });
});

describe('recoveryCodes.use', () => {
  it('approves a code once, as a recovery-code factor, then never again', async () => {
    const { factors } = harness();
    const { codes } = await factors.recoveryCodes.generate({ owner: ADA });
    const code = codes[3] as string;
    expect(await factors.recoveryCodes.use({ owner: ADA, code })).toMatchObject({
      status: 'approved',
      remaining: 9,
      factor: { method: 'recovery-code', amr: ['otp'], codeLength: 10 },
    });
    expect(await factors.recoveryCodes.use({ owner: ADA, code })).toEqual({ status: 'failed' });
  });

  it('accepts the code as typed by hand: upper case, spaces, no dash, o for 0', async () => {
    const { factors } = harness();
    const { codes } = await factors.recoveryCodes.generate({ owner: ADA });
    const code = (codes[0] as string).replace('-', ' ').toUpperCase().replace(/0/g, 'O');
    expect(await factors.recoveryCodes.use({ owner: ADA, code })).toMatchObject({
      status: 'approved',
    });
  });

  it("refuses one user's code for another user", async () => {
    const { factors } = harness();
    const { codes } = await factors.recoveryCodes.generate({ owner: ADA });
    await factors.recoveryCodes.generate({ owner: BOB });
    expect(await factors.recoveryCodes.use({ owner: BOB, code: codes[0] as string })).toEqual({
      status: 'failed',
    });
  });

  it('audits and announces each use with the codes left, never the code', async () => {
    const { factors, events, auditLog } = harness();
    const { codes } = await factors.recoveryCodes.generate({ owner: ADA });
    await factors.recoveryCodes.use({ owner: ADA, code: codes[0] as string });
    expect(events.map((e) => [e.type, e.data])).toEqual([
      ['recovery_codes.generated', { count: 10 }],
      ['recovery_code.used', { remaining: 9 }],
    ]);
    const audited = [];
    for await (const event of auditLog.query({ tenantId: 'acme' })) audited.push(event);
    expect(audited.map((e) => e.type)).toEqual(['recovery_codes.generated', 'recovery_code.used']);
    const text = JSON.stringify(audited);
    for (const code of codes) {
      expect(text).not.toContain(code);
      expect(text).not.toContain(code.replace('-', ''));
    }
  });

  it('limits guesses per user', async () => {
    const { factors } = harness();
    const { codes } = await factors.recoveryCodes.generate({ owner: ADA });
    for (let i = 0; i < 10; i += 1)
      await factors.recoveryCodes.use({ owner: ADA, code: 'aaaaa-aaaaa' });
    await expect(
      factors.recoveryCodes.use({ owner: ADA, code: codes[0] as string }),
    ).rejects.toMatchObject({
      code: 'rate_limited',
    });
  });

  it('removes the set on request', async () => {
    const { factors, events } = harness();
    const { codes } = await factors.recoveryCodes.generate({ owner: ADA });
    expect(await factors.recoveryCodes.remove({ owner: ADA })).toBe(true);
    expect(await factors.recoveryCodes.status(ADA)).toBeNull();
    expect(await factors.recoveryCodes.use({ owner: ADA, code: codes[0] as string })).toEqual({
      status: 'failed',
    });
    expect(events.at(-1)).toMatchObject({ type: 'factor.removed', method: 'recovery-code' });
  });
});
