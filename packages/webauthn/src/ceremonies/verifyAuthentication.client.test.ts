// An assertion made for another site, another ceremony or inside someone else's frame must be refused.
import { describe, expect, it } from 'vitest';
import { createHarness, ORIGIN } from '../fixtures/harness.js';
import type { AssertionOverrides } from '../testing/SoftwareAuthenticatorOptions.js';

describe('verifyAuthentication client checks', () => {
  it.each<[string, AssertionOverrides, string]>([
    ['a phishing origin', { origin: 'https://console.acme.example.evil.test' }, 'webauthn:origin'],
    ['the right host over http', { origin: 'http://console.acme.example' }, 'webauthn:origin'],
    ['a signature for another RP ID', { rpId: 'acme.example' }, 'webauthn:rp_id'],
    ['a webauthn.create response', { type: 'webauthn.create' }, 'webauthn:type'],
    ['crossOrigin: true', { crossOrigin: true }, 'webauthn:cross_origin'],
    [
      'crossOrigin: true with a topOrigin',
      { crossOrigin: true, topOrigin: 'https://evil.test' },
      'webauthn:cross_origin',
    ],
    ['a topOrigin without crossOrigin', { topOrigin: ORIGIN }, 'webauthn:cross_origin'],
    ['no user presence', { userPresent: false }, 'webauthn:user_presence'],
    ['a bad signature', { badSignature: true }, 'webauthn:signature'],
  ])('refuses %s', async (_, overrides, reason) => {
    const harness = createHarness();
    const authenticator = harness.authenticator();
    await harness.register(authenticator);

    await expect(harness.stepUp(authenticator, { overrides })).rejects.toMatchObject({
      code: 'authentication_failed',
      status: 401,
      reasons: [reason],
    });
  });

  it('spends the challenge of a refused assertion', async () => {
    const harness = createHarness();
    const authenticator = harness.authenticator();
    await harness.register(authenticator);
    const request = await harness.webauthn.authenticationOptions({ userId: 'u_ada' });

    await expect(
      harness.webauthn.verifyAuthentication({
        userId: 'u_ada',
        response: authenticator.authenticate(request, { origin: 'https://evil.test' }),
      }),
    ).rejects.toMatchObject({ reasons: ['webauthn:origin'] });
    await expect(
      harness.webauthn.verifyAuthentication({
        userId: 'u_ada',
        response: authenticator.authenticate(request),
      }),
    ).rejects.toMatchObject({ reasons: ['webauthn:challenge'] });
  });

  it('accepts a cross-origin frame only under a listed top-level origin that the browser names', async () => {
    const harness = createHarness({ topOrigins: ['https://portal.acme.example'] });
    const authenticator = harness.authenticator();
    await harness.register(authenticator);

    await expect(
      harness.stepUp(authenticator, {
        overrides: { crossOrigin: true, topOrigin: 'https://portal.acme.example' },
      }),
    ).resolves.toMatchObject({ userId: 'u_ada' });
    await expect(
      harness.stepUp(authenticator, {
        overrides: { crossOrigin: true, topOrigin: 'https://evil.test' },
      }),
    ).rejects.toMatchObject({ reasons: ['webauthn:cross_origin'] });
    await expect(
      harness.stepUp(authenticator, { overrides: { crossOrigin: true } }),
    ).rejects.toMatchObject({ reasons: ['webauthn:cross_origin'] });
  });

  it('accepts any of several configured origins', async () => {
    const harness = createHarness({ origins: [ORIGIN, 'https://admin.acme.example'] });
    const authenticator = harness.authenticator();
    await harness.register(authenticator);

    await expect(
      harness.stepUp(authenticator, { overrides: { origin: 'https://admin.acme.example' } }),
    ).resolves.toMatchObject({ userId: 'u_ada' });
  });
});
