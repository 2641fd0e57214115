// Only a user-verified credential, bound at AAL3 on an attestation that proved a hardware model, may
// reach AAL3; a presence-only, synced or merely self-described one never does.
import {
  type AuthState,
  assuranceOf,
  ENTERPRISE_PRESET,
  evaluate,
  type Factor,
  type TenantPolicy,
} from '@checkpoint/policy';
import { describe, expect, it } from 'vitest';
import { attestedHarness, createHarness } from '../fixtures/harness.js';

const bigcorp: TenantPolicy = { id: 'bigcorp', stepUp: { ...ENTERPRISE_PRESET } };

function stateWith(factor: Factor): AuthState {
  return { userId: 'u_ada', tenantId: 'bigcorp', factors: [factor] };
}

describe('verifyAuthentication assurance', () => {
  it('refuses an assertion without user verification by default', async () => {
    const harness = createHarness();
    const authenticator = harness.authenticator();
    await harness.register(authenticator);

    await expect(
      harness.stepUp(authenticator, { overrides: { userVerified: false } }),
    ).rejects.toMatchObject({
      code: 'authentication_failed',
      reasons: ['webauthn:user_verification'],
    });
  });

  it('refuses a registration without user verification by default', async () => {
    const harness = createHarness();
    await expect(
      harness.register(harness.authenticator({ userVerified: false })),
    ).rejects.toMatchObject({ reasons: ['webauthn:user_verification'] });
  });

  it('never lets a presence-only assertion reach AAL3, whatever the body claims', async () => {
    const harness = await attestedHarness({ requireUserVerification: false });
    const authenticator = harness.securityKey();
    await harness.register(authenticator);
    const request = await harness.webauthn.authenticationOptions({ userId: 'u_ada' });
    const response = authenticator.authenticate(request, { userVerified: false });
    // Claims a client could add: only the signed flags byte counts.
    const claimed = {
      ...response,
      userVerified: true,
      clientExtensionResults: { uvm: [[2, 2, 2]] },
      response: { ...response.response, userVerified: true },
    };

    const { factor } = await harness.webauthn.verifyAuthentication({
      userId: 'u_ada',
      response: claimed,
    });
    expect(factor).toMatchObject({ userVerified: false, deviceBound: true });
    expect(factor.aal).toBeLessThan(3);
    expect(assuranceOf([factor], bigcorp, { now: harness.clock.now }).aal).toBe(1);
    expect(
      evaluate('admin_role_grant', stateWith(factor), bigcorp, harness.clock.now),
    ).toMatchObject({ satisfied: false, requiredAal: 3 });
  });

  it('gives a synced passkey (BE and BS set) AAL2, not AAL3', async () => {
    const harness = createHarness();
    const synced = harness.authenticator({ backupEligible: true, backupState: true });
    const credential = await harness.register(synced);
    expect(credential).toMatchObject({ deviceType: 'multiDevice', backedUp: true });

    const { factor } = await harness.stepUp(synced);
    expect(factor).toMatchObject({ userVerified: true, deviceBound: false, aal: 2 });
    expect(factor.amr).toContain('swk');
    const now = harness.clock.now;
    expect(assuranceOf([factor], bigcorp, { now })).toMatchObject({
      aal: 2,
      phishingResistant: true,
    });
    expect(evaluate('admin_role_grant', stateWith(factor), bigcorp, now)).toMatchObject({
      satisfied: false,
      requiredAal: 3,
      currentAal: 2,
    });
    expect(evaluate('data_export', stateWith(factor), bigcorp, now)).toMatchObject({
      satisfied: true,
      aal: 2,
    });
  });

  it('gives an attested, device-bound, user-verified credential AAL3 for an enterprise admin grant', async () => {
    const harness = await attestedHarness();
    const bound = harness.securityKey();
    await harness.register(bound);

    const { factor } = await harness.stepUp(bound);
    expect(factor).toMatchObject({ userVerified: true, deviceBound: true, aal: 3 });
    expect(evaluate('admin_role_grant', stateWith(factor), bigcorp, harness.clock.now)).toEqual({
      satisfied: true,
      checkpoint: 'admin_role_grant',
      aal: 3,
      nonNist: false,
    });
  });

  it('gives a credential that only claims to be device-bound (no attestation) AAL2, not AAL3', async () => {
    const harness = await attestedHarness();
    const claimer = harness.authenticator();
    const credential = await harness.register(claimer);
    expect(credential).toMatchObject({ deviceType: 'singleDevice' });
    expect(credential.attested).toBeUndefined();

    const { factor } = await harness.stepUp(claimer);
    expect(factor).toMatchObject({ userVerified: true, deviceBound: false, aal: 2 });
    expect(
      evaluate('admin_role_grant', stateWith(factor), bigcorp, harness.clock.now),
    ).toMatchObject({ satisfied: false, requiredAal: 3, currentAal: 2 });
  });

  it('does not count a credential registered as synced as device-bound, whatever a later assertion says', async () => {
    const harness = await attestedHarness();
    const synced = harness.securityKey({ backupEligible: true, backupState: true });
    await harness.register(synced);

    const { factor } = await harness.stepUp(synced, {
      overrides: { backupEligible: false, backupState: false },
    });
    expect(factor).toMatchObject({ deviceBound: false, aal: 2 });
  });
});
