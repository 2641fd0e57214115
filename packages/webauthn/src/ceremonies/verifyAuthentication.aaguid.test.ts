// A tenant that accepts only its hardware keys must refuse every other authenticator model,
// including one that merely claims a listed model's AAGUID.
import { describe, expect, it } from 'vitest';
import { SECURITY_KEY } from '../fixtures/attested.js';
import { attestedHarness, createHarness } from '../fixtures/harness.js';

const PHONE = 'ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4';

function allowlisted() {
  return attestedHarness({
    aaguids: (tenantId) => (tenantId === 'bigcorp' ? [SECURITY_KEY.toUpperCase()] : undefined),
  });
}

describe('AAGUID allowlist', () => {
  it('refuses to register an authenticator model the tenant does not list', async () => {
    const harness = await allowlisted();
    const phone = harness.authenticator({ aaguid: PHONE });

    await expect(harness.register(phone, { tenantId: 'bigcorp' })).rejects.toMatchObject({
      code: 'authentication_failed',
      reasons: ['webauthn:aaguid'],
    });
    expect(await harness.credentials.listByUser('u_ada')).toEqual([]);
  });

  it('refuses an authenticator that claims a listed model without proving it', async () => {
    const harness = await allowlisted();
    // The listed AAGUID, self-described: "none" attestation, then self attestation.
    for (const attestation of ['none', 'self'] as const) {
      const claimer = harness.authenticator({ aaguid: SECURITY_KEY });
      await expect(
        harness.register(claimer, { tenantId: 'bigcorp', overrides: { attestation } }),
      ).rejects.toMatchObject({ code: 'authentication_failed', reasons: ['webauthn:aaguid'] });
    }
    expect(await harness.credentials.listByUser('u_ada')).toEqual([]);
  });

  it('registers and authenticates a listed model whose attestation proves it, compared without regard to case', async () => {
    const harness = await allowlisted();
    const key = harness.securityKey();

    await expect(harness.register(key, { tenantId: 'bigcorp' })).resolves.toMatchObject({
      aaguid: SECURITY_KEY,
      attested: { aaguid: SECURITY_KEY, trust: 'metadata' },
    });
    await expect(harness.stepUp(key, { tenantId: 'bigcorp' })).resolves.toMatchObject({
      factor: { aal: 3 },
    });
  });

  it('leaves tenants without a list alone', async () => {
    const harness = await allowlisted();
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

    tenantList.aaguids = [SECURITY_KEY];
    await expect(harness.stepUp(phone, { tenantId: 'bigcorp' })).rejects.toMatchObject({
      reasons: ['webauthn:aaguid'],
    });
  });
});
