import { describe, expect, it } from 'vitest';
import { ADA, BOB, harness, SECRET } from '../fixtures/harness.js';
import type { FactorStore } from '../store/FactorStore.js';
import { totpCode } from './totpCode.js';

const STEP = 30_000;

async function enrolled() {
  const h = harness();
  const enrolment = await h.factors.totp.enrol({ owner: ADA, accountName: 'ada@acme.example' });
  const code = await totpCode({ secret: enrolment.secret, at: h.clock.now() });
  expect(await h.factors.totp.confirm({ owner: ADA, id: enrolment.id, code })).toMatchObject({
    status: 'approved',
  });
  // The confirming code's step is spent, and so is every earlier one: move two steps on, so that
  // the step before "now" is still unused.
  await h.clock.advance(2 * STEP);
  return { ...h, enrolment, codeAt: (at: number) => totpCode({ secret: enrolment.secret, at }) };
}

describe('totp.enrol', () => {
  it('returns an otpauth:// URI and a QR code as SVG, made without any network', async () => {
    const { factors } = harness();
    const enrolment = await factors.totp.enrol({ owner: ADA, accountName: 'ada@acme.example' });
    expect(enrolment.id).toMatch(/^totp_[A-Za-z0-9_-]{22}$/);
    expect(enrolment.secret).toMatch(/^[A-Z2-7]{32}$/); // 20 bytes, 160 bits
    const uri = new URL(enrolment.uri);
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe('/Acme Console:ada@acme.example');
    // SHA-1, 6 digits and 30 s are the Key Uri Format defaults, so otplib leaves them out.
    expect(Object.fromEntries(uri.searchParams)).toEqual({
      secret: enrolment.secret,
      issuer: 'Acme Console',
    });
    expect(enrolment.qrSvg).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(enrolment.qrSvg).toContain('<path');
  });

  it('is not in use until a first code confirms it', async () => {
    const { factors, clock } = harness();
    const enrolment = await factors.totp.enrol({ owner: ADA, accountName: 'ada' });
    expect(await factors.totp.status(ADA)).toEqual({ enrolled: false, pending: true });
    const code = await totpCode({ secret: enrolment.secret, at: clock.now() });
    expect(await factors.totp.verify({ owner: ADA, code })).toEqual({ status: 'not_enrolled' });
    expect(await factors.totp.confirm({ owner: ADA, id: enrolment.id, code: '000000' })).toEqual({
      status: 'failed',
    });
    const confirmed = await factors.totp.confirm({ owner: ADA, id: enrolment.id, code });
    expect(confirmed).toMatchObject({
      status: 'approved',
      factor: { method: 'totp', amr: ['otp'], codeLength: 6, source: enrolment.id },
    });
    expect(await factors.totp.status(ADA)).toEqual({
      enrolled: true,
      confirmedAt: clock.now(),
      pending: false,
    });
  });

  it('refuses a confirmation after the enrolment expired', async () => {
    const { factors, clock } = harness();
    const enrolment = await factors.totp.enrol({ owner: ADA, accountName: 'ada' });
    await clock.advance(600_000);
    const code = await totpCode({ secret: enrolment.secret, at: clock.now() });
    await expect(
      factors.totp.confirm({ owner: ADA, id: enrolment.id, code }),
    ).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it("never confirms one user's enrolment with another user's id", async () => {
    const { factors, clock } = harness();
    const enrolment = await factors.totp.enrol({ owner: ADA, accountName: 'ada' });
    const code = await totpCode({ secret: enrolment.secret, at: clock.now() });
    await expect(
      factors.totp.confirm({ owner: BOB, id: enrolment.id, code }),
    ).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('records the enrolment in the audit log and announces it, without the secret', async () => {
    const { factors, clock, events, auditLog } = harness();
    const enrolment = await factors.totp.enrol({ owner: ADA, accountName: 'ada' });
    const code = await totpCode({ secret: enrolment.secret, at: clock.now() });
    await factors.totp.confirm({ owner: ADA, id: enrolment.id, code });
    expect(events).toEqual([
      expect.objectContaining({ type: 'factor.enrolled', userId: 'u_ada', method: 'totp' }),
    ]);
    const audited = [];
    for await (const event of auditLog.query({ tenantId: 'acme' })) audited.push(event);
    expect(audited).toMatchObject([
      { type: 'factor.enrolled', data: { userId: 'u_ada', method: 'totp' } },
    ]);
    expect(JSON.stringify(audited)).not.toContain(enrolment.secret);
    expect(JSON.stringify(audited)).not.toContain(code);
  });
});

describe('totp.verify', () => {
  it('accepts the current code once and refuses it again within its window (replay)', async () => {
    const { factors, clock, codeAt } = await enrolled();
    const code = await codeAt(clock.now());
    expect(await factors.totp.verify({ owner: ADA, code })).toMatchObject({ status: 'approved' });
    expect(await factors.totp.verify({ owner: ADA, code })).toEqual({ status: 'failed' });
    await clock.advance(STEP - 1);
    expect(await factors.totp.verify({ owner: ADA, code })).toEqual({ status: 'failed' });
  });

  it('refuses a code of an earlier step once a later one was accepted', async () => {
    const { factors, clock, codeAt } = await enrolled();
    const earlier = await codeAt(clock.now() - STEP);
    expect(
      await factors.totp.verify({ owner: ADA, code: await codeAt(clock.now()) }),
    ).toMatchObject({
      status: 'approved',
    });
    expect(await factors.totp.verify({ owner: ADA, code: earlier })).toEqual({ status: 'failed' });
  });

  it('accepts exactly one of many concurrent submissions of one code', async () => {
    const { factors, clock, codeAt } = await enrolled();
    const code = await codeAt(clock.now());
    const results = await Promise.all(
      Array.from({ length: 8 }, () => factors.totp.verify({ owner: ADA, code })),
    );
    expect(results.filter((r) => r.status === 'approved')).toHaveLength(1);
  });

  it('accepts one step of clock skew either way, and not two', async () => {
    const cases: Array<[string, number, 'approved' | 'failed']> = [
      ['a phone one step behind', -STEP, 'approved'],
      ['a phone one step ahead', STEP, 'approved'],
      ['a phone two steps behind', -2 * STEP, 'failed'],
      ['a phone two steps ahead', 2 * STEP, 'failed'],
    ];
    for (const [, skew, expected] of cases) {
      const { factors, clock, codeAt } = await enrolled();
      const code = await codeAt(clock.now() + skew);
      expect((await factors.totp.verify({ owner: ADA, code })).status).toBe(expected);
    }
  });

  it('holds the window edges to the millisecond: the last of step s-1 and the first of s+1', async () => {
    const { factors, clock, codeAt } = await enrolled();
    // now is the first millisecond of step s; s-1 ends 1 ms ago and s-2 ended 30 s + 1 ms ago.
    const start = clock.now();
    expect(
      (await factors.totp.verify({ owner: ADA, code: await codeAt(start - STEP - 1) })).status,
    ).toBe('failed');
    expect((await factors.totp.verify({ owner: ADA, code: await codeAt(start - 1) })).status).toBe(
      'approved',
    );
    expect(
      (await factors.totp.verify({ owner: ADA, code: await codeAt(start + 2 * STEP) })).status,
    ).toBe('failed');
    expect(
      (await factors.totp.verify({ owner: ADA, code: await codeAt(start + STEP) })).status,
    ).toBe('approved');
  });

  it("refuses a code of one user's app for another user", async () => {
    const { factors, clock, codeAt } = await enrolled();
    expect(await factors.totp.verify({ owner: BOB, code: await codeAt(clock.now()) })).toEqual({
      status: 'not_enrolled',
    });
  });

  it('refuses malformed codes without throwing', async () => {
    const { factors } = await enrolled();
    for (const code of ['', '12345', '1234567', '١٢٣٤٥٦', ' 123456', 'x'.repeat(10_000)]) {
      expect(await factors.totp.verify({ owner: ADA, code })).toEqual({ status: 'failed' });
    }
  });

  it('limits guesses per user: the eleventh in 15 minutes is rate_limited', async () => {
    const { factors, clock, codeAt } = await enrolled();
    for (let i = 0; i < 9; i += 1) {
      expect(await factors.totp.verify({ owner: ADA, code: '000000' })).toEqual({
        status: 'failed',
      });
    }
    await expect(
      factors.totp.verify({ owner: ADA, code: await codeAt(clock.now()) }),
    ).rejects.toMatchObject({
      code: 'rate_limited',
      retryAfter: expect.any(Number) as unknown,
    });
    expect(await factors.totp.verify({ owner: BOB, code: '000000' })).toEqual({
      status: 'not_enrolled',
    });
  });
});

describe('totp secrets at rest', () => {
  it('are sealed under the server secret and bound to their owner', async () => {
    const { factors, store, clock, enrolment } = await enrolled();
    const { active } = await store.getTotp(ADA, clock.now());
    expect(active?.secret).toMatch(/^v1\.k0\./);
    expect(active?.secret).not.toContain(enrolment.secret);
    // Moved to another user's record, the sealed secret does not open: refused, never passed.
    await store.putPendingTotp(
      BOB,
      { ...(active as NonNullable<typeof active>) },
      clock.now() + 60_000,
    );
    await store.activateTotp(BOB, { id: enrolment.id, step: 0, now: clock.now() });
    const code = await totpCode({ secret: enrolment.secret, at: clock.now() });
    await expect(factors.totp.verify({ owner: BOB, code })).rejects.toMatchObject({
      code: 'store_unavailable',
      reasons: ['factors:sealed_secret'],
    });
  });

  it('still open after a key rotation while the old key is listed', async () => {
    const { store, clock, enrolment } = await enrolled();
    const rotated = afterRotation(store, clock);
    const code = await totpCode({ secret: enrolment.secret, at: clock.now() });
    expect(await rotated.factors.totp.verify({ owner: ADA, code })).toMatchObject({
      status: 'approved',
    });
  });

  it('is sealed again under the current key when used, so the old key can be dropped', async () => {
    const { store, clock, enrolment } = await enrolled();
    const rotated = afterRotation(store, clock);
    await clock.advance(30_000);
    const code = await totpCode({ secret: enrolment.secret, at: clock.now() });
    expect(await rotated.factors.totp.verify({ owner: ADA, code })).toMatchObject({
      status: 'approved',
    });
    const { active } = await store.getTotp(ADA, clock.now());
    expect(active?.secret).toMatch(/^v1\.k1\./);
    expect(active?.confirmedAt).toBeDefined();
    // The old key gone, the app still works; a replayed code still does not.
    const onlyNew = harness({ secret: [NEW_KEY], store, now: () => clock.now() });
    expect(await onlyNew.factors.totp.verify({ owner: ADA, code })).toEqual({ status: 'failed' });
    await clock.advance(30_000);
    const next = await totpCode({ secret: enrolment.secret, at: clock.now() });
    expect(await onlyNew.factors.totp.verify({ owner: ADA, code: next })).toMatchObject({
      status: 'approved',
    });
  });

  it('is not sealed again by a refused code', async () => {
    const { store, clock } = await enrolled();
    const rotated = afterRotation(store, clock);
    expect(await rotated.factors.totp.verify({ owner: ADA, code: '12345a' })).toEqual({
      status: 'failed',
    });
    expect((await store.getTotp(ADA, clock.now())).active?.secret).toMatch(/^v1\.k0\./);
  });
});

const NEW_KEY = { id: 'k1', key: 'a-brand-new-secret-0123456789abcdefghij' };

/** The same store after a rotation: a new current key, the harness's own (k0) still listed. */
function afterRotation(store: FactorStore, clock: { now(): number }) {
  return harness({
    secret: [NEW_KEY, { id: 'k0', key: SECRET }],
    store,
    now: () => clock.now(),
  });
}

describe('totp.remove', () => {
  it('removes the app, audits it, and later codes are refused', async () => {
    const { factors, clock, codeAt, events } = await enrolled();
    expect(await factors.totp.remove({ owner: ADA })).toBe(true);
    expect(await factors.totp.remove({ owner: ADA })).toBe(false);
    expect(events.map((e) => e.type)).toEqual(['factor.enrolled', 'factor.removed']);
    expect(await factors.totp.verify({ owner: ADA, code: await codeAt(clock.now()) })).toEqual({
      status: 'not_enrolled',
    });
  });
});
