import { describe, expect, it } from 'vitest';
import { createHarness, START } from '../fixtures/harness.js';
import type { CeremonyOverrides } from '../testing/SoftwareAuthenticatorOptions.js';

async function creationFor(harness: ReturnType<typeof createHarness>, userId = 'u_ada') {
  return harness.webauthn.registrationOptions({ userId, userName: `${userId}@acme.example` });
}

describe('verifyRegistration', () => {
  it('stores the credential with the tenant it was registered in', async () => {
    const harness = createHarness();
    const credential = await harness.register(harness.authenticator(), { tenantId: 'acme' });
    expect(credential).toMatchObject({ userId: 'u_ada', tenantId: 'acme', createdAt: START });
    expect(credential.publicKey).toBeInstanceOf(Uint8Array);
    expect(await harness.credentials.listByUser('u_ada')).toEqual([credential]);
  });

  it('refuses a registration response submitted twice', async () => {
    const harness = createHarness();
    const response = harness.authenticator().register(await creationFor(harness));

    await harness.webauthn.verifyRegistration({ userId: 'u_ada', response });
    await expect(
      harness.webauthn.verifyRegistration({ userId: 'u_ada', response }),
    ).rejects.toMatchObject({ code: 'authentication_failed', reasons: ['webauthn:challenge'] });
  });

  it('refuses a challenge issued to another user or tenant', async () => {
    const harness = createHarness();
    const authenticator = harness.authenticator();

    const forBob = authenticator.register(await creationFor(harness, 'u_bob'));
    await expect(
      harness.webauthn.verifyRegistration({ userId: 'u_ada', response: forBob }),
    ).rejects.toMatchObject({ reasons: ['webauthn:challenge'] });

    const forAcme = authenticator.register(
      await harness.webauthn.registrationOptions({
        userId: 'u_ada',
        userName: 'ada@acme.example',
        tenantId: 'acme',
      }),
    );
    await expect(
      harness.webauthn.verifyRegistration({
        userId: 'u_ada',
        tenantId: 'globex',
        response: forAcme,
      }),
    ).rejects.toMatchObject({ reasons: ['webauthn:challenge'] });
  });

  it('refuses an expired registration challenge', async () => {
    const harness = createHarness();
    const response = harness.authenticator().register(await creationFor(harness));
    harness.clock.advanceSeconds(300);

    await expect(
      harness.webauthn.verifyRegistration({ userId: 'u_ada', response }),
    ).rejects.toMatchObject({ reasons: ['webauthn:challenge'] });
  });

  it.each<[string, CeremonyOverrides, string]>([
    ['a foreign origin', { origin: 'https://evil.test' }, 'webauthn:origin'],
    ['another RP ID', { rpId: 'evil.test' }, 'webauthn:rp_id'],
    ['a webauthn.get response', { type: 'webauthn.get' }, 'webauthn:type'],
    ['crossOrigin: true', { crossOrigin: true }, 'webauthn:cross_origin'],
    ['no user presence', { userPresent: false }, 'webauthn:user_presence'],
    [
      'BS set without BE (impossible flags)',
      { backupEligible: false, backupState: true },
      'webauthn:verification',
    ],
  ])('refuses %s and stores nothing', async (_, overrides, reason) => {
    const harness = createHarness();
    await expect(harness.register(harness.authenticator(), { overrides })).rejects.toMatchObject({
      code: 'authentication_failed',
      reasons: [reason],
    });
    expect(await harness.credentials.listByUser('u_ada')).toEqual([]);
  });

  it('refuses a credential id that is already registered, to anyone', async () => {
    const harness = createHarness();
    const response = harness.authenticator().register(await creationFor(harness));
    const taken = {
      id: response.id,
      userId: 'u_bob',
      publicKey: new Uint8Array(77),
      counter: 0,
      transports: [],
      deviceType: 'singleDevice' as const,
      backedUp: false,
      aaguid: '00000000-0000-0000-0000-000000000000',
      createdAt: START,
    };
    await harness.credentials.create(taken);

    await expect(
      harness.webauthn.verifyRegistration({ userId: 'u_ada', response }),
    ).rejects.toMatchObject({ reasons: ['webauthn:credential_exists'] });
    expect(await harness.credentials.findById(response.id)).toEqual(taken);
  });
});
