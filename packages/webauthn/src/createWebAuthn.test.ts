import { MemoryStore } from '@checkpoint/core';
import { assuranceOf } from '@checkpoint/policy';
import { describe, expect, it } from 'vitest';
import { createWebAuthn } from './createWebAuthn.js';
import { MemoryCredentialRepository } from './credentials/MemoryCredentialRepository.js';
import { SECURITY_KEY } from './fixtures/attested.js';
import { attestedHarness, createHarness, ORIGIN, RP_ID, START } from './fixtures/harness.js';
import type { WebAuthnOptions } from './WebAuthnOptions.js';

describe('createWebAuthn', () => {
  const valid: WebAuthnOptions = {
    rpID: RP_ID,
    rpName: 'Acme Console',
    origins: [ORIGIN],
    store: new MemoryStore(),
    credentials: new MemoryCredentialRepository(),
  };

  it.each([
    ['an rpID with a scheme', { rpID: 'https://acme.example' }, /rpID/],
    ['no rpName', { rpName: '' }, /rpName/],
    ['no origins', { origins: [] }, /origins/],
    ['an origin with a path', { origins: ['https://acme.example/login'] }, /origins/],
    ['a store without tickets', { store: {} }, /store/],
    ['a repository without flag', { credentials: { findById() {} } }, /missing listByUser/],
    ['a challenge TTL in milliseconds', { challengeTtlSeconds: 300_000 }, /challengeTtlSeconds/],
    ['a topOrigins string', { topOrigins: 'https://a.example' }, /topOrigins/],
    ['an unknown attestation conveyance', { attestation: 'indirect' }, /attestation/],
    ['metadata that is not createFidoMetadata()', { metadata: 'blob.jwt' }, /metadata/],
    ['approvedAuthenticators as a list', { approvedAuthenticators: [] }, /approvedAuthenticators/],
    ['an approval that is not a function', { approveAal3Enrolment: true }, /approveAal3Enrolment/],
  ])('refuses %s with a TypeError that says what to pass', (_, override, message) => {
    const options = { ...valid, ...override } as unknown as WebAuthnOptions;
    expect(() => createWebAuthn(options)).toThrow(TypeError);
    expect(() => createWebAuthn(options)).toThrow(message);
  });

  it('registers an attested security key and steps the user up with it to AAL3 on a MemoryStore', async () => {
    const harness = await attestedHarness();
    const authenticator = harness.securityKey();

    const creation = await harness.webauthn.registrationOptions({
      userId: 'u_ada',
      userName: 'ada@acme.example',
    });
    expect(creation).toMatchObject({
      rp: { id: RP_ID, name: 'Acme Console' },
      user: { id: Buffer.from('u_ada').toString('base64url'), name: 'ada@acme.example' },
      timeout: 300_000,
      attestation: 'direct',
      excludeCredentials: [],
      authenticatorSelection: { userVerification: 'required', residentKey: 'preferred' },
    });
    expect(Buffer.from(creation.challenge, 'base64url')).toHaveLength(32);

    const credential = await harness.webauthn.verifyRegistration({
      userId: 'u_ada',
      response: authenticator.register(creation),
    });
    expect(credential).toMatchObject({
      id: authenticator.credentialIds[0],
      userId: 'u_ada',
      counter: 0,
      transports: ['internal'],
      deviceType: 'singleDevice',
      backedUp: false,
      aaguid: SECURITY_KEY,
      attested: {
        format: 'packed',
        aaguid: SECURITY_KEY,
        trust: 'metadata',
        keyProtection: ['hardware', 'secure_element'],
        description: 'Test Security Key',
        verifiedAt: START,
      },
      aal3: { at: START, approvedBy: 'help desk, ticket SEC-1', first: true },
      createdAt: START,
    });
    expect(await harness.credentials.findById(credential.id)).toEqual(credential);

    harness.clock.advanceSeconds(60);
    const request = await harness.webauthn.authenticationOptions({ userId: 'u_ada' });
    expect(request).toMatchObject({
      rpId: RP_ID,
      userVerification: 'required',
      allowCredentials: [{ id: credential.id, type: 'public-key', transports: ['internal'] }],
    });
    const result = await harness.webauthn.verifyAuthentication({
      userId: 'u_ada',
      response: authenticator.authenticate(request),
    });
    expect(result.userId).toBe('u_ada');
    expect(result.factor).toEqual({
      method: 'webauthn',
      amr: ['hwk', 'pop', 'user', 'mfa'],
      aal: 3,
      at: START + 60_000,
      source: credential.id,
      userVerified: true,
      deviceBound: true,
    });
    expect(assuranceOf([result.factor], { id: 'acme' }).aal).toBe(3);
    expect(result.credential).toMatchObject({ counter: 1, lastUsedAt: START + 60_000 });
    expect(await harness.credentials.findById(credential.id)).toMatchObject({ counter: 1 });
  });

  it('excludes the user’s existing credentials from new registration options', async () => {
    const harness = createHarness();
    const authenticator = harness.authenticator();
    const { id } = await harness.register(authenticator);

    const again = await harness.webauthn.registrationOptions({
      userId: 'u_ada',
      userName: 'ada@acme.example',
    });
    expect(again.excludeCredentials).toEqual([
      { id, type: 'public-key', transports: ['internal'] },
    ]);
    expect(() => authenticator.register(again)).toThrow(/excludeCredentials/);
  });

  it('asks for no attestation when nothing can check it, and counts its passkeys at AAL2 at most', async () => {
    const harness = createHarness();
    const authenticator = harness.authenticator();
    const creation = await harness.webauthn.registrationOptions({
      userId: 'u_ada',
      userName: 'ada@acme.example',
    });
    expect(creation.attestation).toBe('none');
    const credential = await harness.webauthn.verifyRegistration({
      userId: 'u_ada',
      response: authenticator.register(creation),
    });
    expect(credential).toMatchObject({ deviceType: 'singleDevice' });
    expect(credential.attested).toBeUndefined();
    expect(credential.aal3).toBeUndefined();
    const { factor } = await harness.stepUp(authenticator);
    expect(factor).toMatchObject({ userVerified: true, deviceBound: false, aal: 2 });
  });

  it('logs a user in with a discoverable passkey and no user id', async () => {
    const harness = await attestedHarness();
    const authenticator = harness.securityKey();
    const { id } = await harness.register(authenticator);

    const request = await harness.webauthn.authenticationOptions();
    expect(request.allowCredentials).toBeUndefined();
    const result = await harness.webauthn.verifyAuthentication({
      response: authenticator.authenticate(request),
    });
    expect(result).toMatchObject({ userId: 'u_ada', credential: { id } });
    expect(result.factor.aal).toBe(3);
  });

  it('accepts a presence-only assertion as AAL1 when user verification is not required', async () => {
    const harness = await attestedHarness({ requireUserVerification: false });
    const authenticator = harness.securityKey({ userVerified: false });
    await harness.register(authenticator);

    const request = await harness.webauthn.authenticationOptions({ userId: 'u_ada' });
    expect(request.userVerification).toBe('preferred');
    const { factor } = await harness.webauthn.verifyAuthentication({
      userId: 'u_ada',
      response: authenticator.authenticate(request),
    });
    expect(factor).toMatchObject({ userVerified: false, deviceBound: true, aal: 1 });
  });
});
