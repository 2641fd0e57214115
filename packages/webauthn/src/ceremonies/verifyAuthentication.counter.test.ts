// A cloned authenticator shows itself by a counter that does not move forward: its credential must stop working.
import { describe, expect, it } from 'vitest';
import { createHarness } from '../fixtures/harness.js';

describe('verifyAuthentication signature counter', () => {
  it('refuses a counter of 5 after 10, flags the credential and refuses it from then on', async () => {
    const harness = createHarness();
    const authenticator = harness.authenticator();
    const { id } = await harness.register(authenticator);
    await harness.stepUp(authenticator, { overrides: { counter: 10 } });
    expect(await harness.credentials.findById(id)).toMatchObject({ counter: 10 });

    await expect(
      harness.stepUp(authenticator, { overrides: { counter: 5 } }),
    ).rejects.toMatchObject({ code: 'authentication_failed', reasons: ['webauthn:counter'] });
    expect(await harness.credentials.findById(id)).toMatchObject({
      counter: 10,
      flagged: { reason: 'counter', at: harness.clock.now },
    });

    const request = await harness.webauthn.authenticationOptions({ userId: 'u_ada' });
    expect(request.allowCredentials).toEqual([]);
    await expect(
      harness.webauthn.verifyAuthentication({
        userId: 'u_ada',
        response: authenticator.authenticate(request, { credentialId: id, counter: 11 }),
      }),
    ).rejects.toMatchObject({ reasons: ['webauthn:credential_flagged'] });
  });

  it('refuses a counter that stays at the stored value above 0', async () => {
    const harness = createHarness();
    const authenticator = harness.authenticator();
    await harness.register(authenticator);
    await harness.stepUp(authenticator, { overrides: { counter: 3 } });

    await expect(
      harness.stepUp(authenticator, { overrides: { counter: 3 } }),
    ).rejects.toMatchObject({ reasons: ['webauthn:counter'] });
  });

  it('accepts counters that stay 0, as passkeys without a counter send them', async () => {
    const harness = createHarness();
    const authenticator = harness.authenticator();
    const { id } = await harness.register(authenticator);

    for (let i = 0; i < 3; i += 1) {
      await expect(
        harness.stepUp(authenticator, { overrides: { counter: 0 } }),
      ).resolves.toMatchObject({ credential: { counter: 0 } });
    }
    expect((await harness.credentials.findById(id))?.flagged).toBeUndefined();
  });

  it('does not flag a credential for a backwards counter that is not validly signed', async () => {
    const harness = createHarness();
    const authenticator = harness.authenticator();
    const { id } = await harness.register(authenticator);
    await harness.stepUp(authenticator, { overrides: { counter: 10 } });

    await expect(
      harness.stepUp(authenticator, { overrides: { counter: 5, badSignature: true } }),
    ).rejects.toMatchObject({ reasons: ['webauthn:signature'] });
    expect(await harness.credentials.findById(id)).toMatchObject({ counter: 10 });
    expect((await harness.credentials.findById(id))?.flagged).toBeUndefined();
  });
});
