// An assertion made to approve one action must not approve another.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createHarness } from '../fixtures/harness.js';

describe('verifyAuthentication with a bound action', () => {
  it('puts the hash of what it approves into the signed challenge, and returns it as bound', async () => {
    const harness = createHarness();
    const authenticator = harness.authenticator();
    await harness.register(authenticator);
    const bind = 'billing_change:card-1111';
    const request = await harness.webauthn.authenticationOptions({ userId: 'u_ada', bind });
    const challenge = Buffer.from(request.challenge, 'base64url');
    expect(challenge).toHaveLength(64);
    expect(challenge.subarray(32)).toEqual(createHash('sha256').update(bind).digest());
    const result = await harness.webauthn.verifyAuthentication({
      userId: 'u_ada',
      response: authenticator.authenticate(request),
    });
    expect(result.bound).toBe(bind);
  });

  it('leaves bound out for an authentication that approves no action', async () => {
    const harness = createHarness();
    const authenticator = harness.authenticator();
    await harness.register(authenticator);
    const request = await harness.webauthn.authenticationOptions({ userId: 'u_ada' });
    const result = await harness.webauthn.verifyAuthentication({
      userId: 'u_ada',
      response: authenticator.authenticate(request),
    });
    expect(result).not.toHaveProperty('bound');
  });

  it('refuses a bind that is not a string of 1-256 characters', async () => {
    const harness = createHarness();
    await expect(
      harness.webauthn.authenticationOptions({ userId: 'u_ada', bind: 'x'.repeat(257) }),
    ).rejects.toMatchObject({ code: 'invalid_request' });
  });
});
