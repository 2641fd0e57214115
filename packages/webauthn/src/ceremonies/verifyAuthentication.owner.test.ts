// A valid signature from someone else's credential must not step this user up.
import { describe, expect, it } from 'vitest';
import { createHarness } from '../fixtures/harness.js';

describe('verifyAuthentication credential ownership', () => {
  it('refuses user B’s credential in user A’s step-up although its signature is valid', async () => {
    const harness = createHarness();
    const ada = harness.authenticator();
    const bob = harness.authenticator();
    await harness.register(ada, { userId: 'u_ada' });
    const bobs = await harness.register(bob, { userId: 'u_bob' });

    const request = await harness.webauthn.authenticationOptions({ userId: 'u_ada' });
    await expect(
      harness.webauthn.verifyAuthentication({
        userId: 'u_ada',
        response: bob.authenticate(request, { credentialId: bobs.id }),
      }),
    ).rejects.toMatchObject({
      code: 'authentication_failed',
      reasons: ['webauthn:credential_owner'],
    });
  });

  it('refuses user B’s credential when A’s step-up used discoverable options', async () => {
    const harness = createHarness();
    const bob = harness.authenticator();
    await harness.register(bob, { userId: 'u_bob' });

    const request = await harness.webauthn.authenticationOptions();
    await expect(
      harness.webauthn.verifyAuthentication({
        userId: 'u_ada',
        response: bob.authenticate(request),
      }),
    ).rejects.toMatchObject({ reasons: ['webauthn:credential_owner'] });
  });

  it('refuses an assertion whose user handle names another user', async () => {
    const harness = createHarness();
    const ada = harness.authenticator();
    await harness.register(ada, { userId: 'u_ada' });

    const request = await harness.webauthn.authenticationOptions();
    await expect(
      harness.webauthn.verifyAuthentication({
        response: ada.authenticate(request, {
          userHandle: Buffer.from('u_bob').toString('base64url'),
        }),
      }),
    ).rejects.toMatchObject({ reasons: ['webauthn:credential_owner'] });
  });

  it('accepts an assertion without a user handle when the user is known', async () => {
    const harness = createHarness();
    const ada = harness.authenticator();
    await harness.register(ada, { userId: 'u_ada' });

    await expect(harness.stepUp(ada, { overrides: { userHandle: null } })).resolves.toMatchObject({
      userId: 'u_ada',
    });
  });

  it('refuses a credential registered in one tenant during a step-up in another', async () => {
    const harness = createHarness();
    const ada = harness.authenticator();
    const { id } = await harness.register(ada, { userId: 'u_ada', tenantId: 'acme' });

    const request = await harness.webauthn.authenticationOptions({
      userId: 'u_ada',
      tenantId: 'globex',
    });
    expect(request.allowCredentials).toEqual([]);
    await expect(
      harness.webauthn.verifyAuthentication({
        userId: 'u_ada',
        tenantId: 'globex',
        response: ada.authenticate(request, { credentialId: id }),
      }),
    ).rejects.toMatchObject({ reasons: ['webauthn:credential_owner'] });
    await expect(harness.stepUp(ada, { tenantId: 'acme' })).resolves.toMatchObject({
      credential: { id, tenantId: 'acme' },
    });
  });

  it('refuses a credential this site never registered', async () => {
    const harness = createHarness();
    const stranger = harness.authenticator();
    const elsewhere = createHarness();
    await elsewhere.register(stranger, { userId: 'u_ada' });

    const request = await harness.webauthn.authenticationOptions();
    await expect(
      harness.webauthn.verifyAuthentication({ response: stranger.authenticate(request) }),
    ).rejects.toMatchObject({ reasons: ['webauthn:credential_unknown'] });
  });
});
