// A tenant that accepts only its hardware keys must refuse every other authenticator model.
import { describe, expect, it } from 'vitest';
import { createHarness } from '../fixtures/harness.js';

const YUBIKEY = 'cb69481e-8ff7-4039-93ec-0a2729a154a8';
const PHONE = 'ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4';

function allowlisted() {
  return createHarness({
    aaguids: (tenantId) => (tenantId === 'bigcorp' ? [YUBIKEY.toUpperCase()] : undefined),
  });
}

describe('AAGUID allowlist', () => {
  it('refuses to register an authenticator model the tenant does not list', async () => {
    const harness = allowlisted();
    const phone = harness.authenticator({ aaguid: PHONE });

    await expect(harness.register(phone, { tenantId: 'bigcorp' })).rejects.toMatchObject({
      code: 'authentication_failed',
      reasons: ['webauthn:aaguid'],
    });
    expect(await harness.credentials.listByUser('u_ada')).toEqual([]);
  });

  it('registers and authenticates a listed model, compared without regard to case', async () => {
    const harness = allowlisted();
    const key = harness.authenticator({ aaguid: YUBIKEY });

    await expect(harness.register(key, { tenantId: 'bigcorp' })).resolves.toMatchObject({
      aaguid: YUBIKEY,
    });
    await expect(harness.stepUp(key, { tenantId: 'bigcorp' })).resolves.toMatchObject({
      factor: { aal: 3 },
    });
  });

  it('leaves tenants without a list alone', async () => {
    const harness = allowlisted();
    const phone = harness.authenticator({ aaguid: PHONE });
    await harness.register(phone, { tenantId: 'acme' });
    await expect(harness.stepUp(phone, { tenantId: 'acme' })).resolves.toMatchObject({
      userId: 'u_ada',
    });
  });

  it('refuses at authentication a credential registered before the tenant listed models', async () => {
    const tenantList: { aaguids?: readonly string[] } = {};
    const harness = createHarness({ aaguids: () => tenantList.aaguids });
    const phone = harness.authenticator({ aaguid: PHONE });
    await harness.register(phone, { tenantId: 'bigcorp' });

    tenantList.aaguids = [YUBIKEY];
    await expect(harness.stepUp(phone, { tenantId: 'bigcorp' })).rejects.toMatchObject({
      reasons: ['webauthn:aaguid'],
    });
  });
});
