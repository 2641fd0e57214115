// A captured assertion must not be accepted twice, late, twice at once, or for another ceremony.
import { describe, expect, it } from 'vitest';
import { createHarness } from '../fixtures/harness.js';

describe('verifyAuthentication replay', () => {
  it('accepts an assertion once and refuses the same assertion the second time', async () => {
    const harness = createHarness();
    const authenticator = harness.authenticator();
    await harness.register(authenticator);
    const request = await harness.webauthn.authenticationOptions({ userId: 'u_ada' });
    const response = authenticator.authenticate(request);

    await expect(
      harness.webauthn.verifyAuthentication({ userId: 'u_ada', response }),
    ).resolves.toMatchObject({ userId: 'u_ada' });
    await expect(
      harness.webauthn.verifyAuthentication({ userId: 'u_ada', response }),
    ).rejects.toMatchObject({ code: 'authentication_failed', reasons: ['webauthn:challenge'] });
  });

  it('accepts a challenge one second before it expires and refuses it at expiry', async () => {
    const harness = createHarness({ challengeTtlSeconds: 120 });
    const authenticator = harness.authenticator();
    await harness.register(authenticator);

    const early = await harness.webauthn.authenticationOptions({ userId: 'u_ada' });
    harness.clock.advanceSeconds(119);
    await expect(
      harness.webauthn.verifyAuthentication({
        userId: 'u_ada',
        response: authenticator.authenticate(early),
      }),
    ).resolves.toMatchObject({ userId: 'u_ada' });

    const late = await harness.webauthn.authenticationOptions({ userId: 'u_ada' });
    harness.clock.advanceSeconds(120);
    await expect(
      harness.webauthn.verifyAuthentication({
        userId: 'u_ada',
        response: authenticator.authenticate(late),
      }),
    ).rejects.toMatchObject({ code: 'authentication_failed', reasons: ['webauthn:challenge'] });
  });

  it('lets exactly one of ten concurrent submissions of one assertion succeed', async () => {
    const harness = createHarness();
    const authenticator = harness.authenticator();
    await harness.register(authenticator);
    const request = await harness.webauthn.authenticationOptions({ userId: 'u_ada' });
    const response = authenticator.authenticate(request);

    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, () =>
        harness.webauthn.verifyAuthentication({ userId: 'u_ada', response }),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const outcome of outcomes.filter((o) => o.status === 'rejected')) {
      expect(outcome.reason).toMatchObject({ reasons: ['webauthn:challenge'] });
    }
  });

  it('refuses an assertion that answers a registration challenge', async () => {
    const harness = createHarness();
    const authenticator = harness.authenticator();
    await harness.register(authenticator);
    const creation = await harness.webauthn.registrationOptions({
      userId: 'u_ada',
      userName: 'ada@acme.example',
    });
    const request = await harness.webauthn.authenticationOptions({ userId: 'u_ada' });

    await expect(
      harness.webauthn.verifyAuthentication({
        userId: 'u_ada',
        response: authenticator.authenticate(request, { challenge: creation.challenge }),
      }),
    ).rejects.toMatchObject({ reasons: ['webauthn:challenge'] });
  });

  it('refuses a challenge that was never issued', async () => {
    const harness = createHarness();
    const authenticator = harness.authenticator();
    await harness.register(authenticator);
    const request = await harness.webauthn.authenticationOptions({ userId: 'u_ada' });

    await expect(
      harness.webauthn.verifyAuthentication({
        userId: 'u_ada',
        response: authenticator.authenticate(request, {
          challenge: Buffer.alloc(32, 7).toString('base64url'),
        }),
      }),
    ).rejects.toMatchObject({ reasons: ['webauthn:challenge'] });
  });

  it('refuses a challenge issued for another user’s step-up, or another tenant', async () => {
    const harness = createHarness();
    const authenticator = harness.authenticator();
    await harness.register(authenticator);

    const forBob = await harness.webauthn.authenticationOptions({ userId: 'u_bob' });
    await expect(
      harness.webauthn.verifyAuthentication({
        userId: 'u_ada',
        response: authenticator.authenticate(forBob),
      }),
    ).rejects.toMatchObject({ reasons: ['webauthn:challenge'] });

    const forGlobex = await harness.webauthn.authenticationOptions({
      userId: 'u_ada',
      tenantId: 'globex',
    });
    await expect(
      harness.webauthn.verifyAuthentication({
        userId: 'u_ada',
        response: authenticator.authenticate(forGlobex),
      }),
    ).rejects.toMatchObject({ reasons: ['webauthn:challenge'] });
  });
});
