import {
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { decodeAttestationObject } from '@simplewebauthn/server/helpers';
import { describe, expect, it } from 'vitest';
import { createTestMetadata } from './createTestMetadata.js';
import { SoftwareAuthenticator } from './SoftwareAuthenticator.js';
import { testCertificate } from './testCertificate.js';

const ORIGIN = 'https://console.acme.example';
const KEY = '2fc0579f-8113-47ea-b116-bb5a8db9202a';
const fido = createTestMetadata({ authenticators: [{ aaguid: KEY }] });

async function options(attestationType: 'none' | 'direct') {
  return generateRegistrationOptions({
    rpName: 'Acme Console',
    rpID: 'console.acme.example',
    userName: 'ada',
    attestationType,
  });
}

function verify(creation: PublicKeyCredentialCreationOptionsJSON, response: unknown) {
  return verifyRegistrationResponse({
    response: response as never,
    expectedChallenge: creation.challenge,
    expectedOrigin: ORIGIN,
    expectedRPID: 'console.acme.example',
  });
}

const formatOf = (response: { response: { attestationObject: string } }) =>
  decodeAttestationObject(Buffer.from(response.response.attestationObject, 'base64url')).get('fmt');

describe('SoftwareAuthenticator attestation', () => {
  it('signs a packed statement with its attestation key when the options ask for attestation', async () => {
    const key = new SoftwareAuthenticator({
      origin: ORIGIN,
      aaguid: KEY,
      attestation: fido.attestation(KEY),
    });
    const creation = await options('direct');
    const response = key.register(creation);
    expect(formatOf(response)).toBe('packed');
    const { verified, registrationInfo } = await verify(creation, response);
    expect(verified).toBe(true);
    expect(registrationInfo).toMatchObject({ fmt: 'packed', aaguid: KEY });
  });

  it('answers with none when the options ask for none, or when it has no attestation key, as browsers do', async () => {
    const key = new SoftwareAuthenticator({
      origin: ORIGIN,
      aaguid: KEY,
      attestation: fido.attestation(KEY),
    });
    expect(formatOf(key.register(await options('none')))).toBe('none');
    const plain = new SoftwareAuthenticator({ origin: ORIGIN });
    const creation = await options('direct');
    const response = plain.register(creation);
    expect(formatOf(response)).toBe('none');
    expect((await verify(creation, response)).verified).toBe(true);
  });

  it('signs self attestation with the credential key, on request', async () => {
    const plain = new SoftwareAuthenticator({ origin: ORIGIN });
    const creation = await options('direct');
    const response = plain.register(creation, { attestation: 'self' });
    expect(
      decodeAttestationObject(Buffer.from(response.response.attestationObject, 'base64url'))
        .get('attStmt')
        .get('x5c'),
    ).toBeUndefined();
    expect((await verify(creation, response)).verified).toBe(true);
  });

  it('signs a fido-u2f statement, with a zero AAGUID', async () => {
    const root = testCertificate({ subject: { CN: 'U2F Root' }, ca: true });
    const leaf = testCertificate({
      subject: { C: 'US', O: 'U2F Maker', OU: 'Authenticator Attestation', CN: 'U2F Key' },
      issuer: root,
    });
    const u2f = new SoftwareAuthenticator({
      origin: ORIGIN,
      attestation: { format: 'fido-u2f', privateKey: leaf.privateKey, certificates: [leaf.der] },
    });
    const creation = await options('direct');
    const { verified, registrationInfo } = await verify(creation, u2f.register(creation));
    expect(verified).toBe(true);
    expect(registrationInfo).toMatchObject({
      fmt: 'fido-u2f',
      aaguid: '00000000-0000-0000-0000-000000000000',
    });
  });

  it('refuses to sign a statement it has no key for', async () => {
    const plain = new SoftwareAuthenticator({ origin: ORIGIN });
    const creation = await options('direct');
    expect(() => plain.register(creation, { attestation: 'packed' })).toThrow(/attestation/);
  });

  it('is refused by the library when its certificate names another model than it claims', async () => {
    const liar = new SoftwareAuthenticator({
      origin: ORIGIN,
      aaguid: '6028b017-b1d4-4c02-b4b3-afcdafc96bb2',
      attestation: fido.attestation(KEY),
    });
    const creation = await options('direct');
    await expect(verify(creation, liar.register(creation))).rejects.toThrow(/aaguid/i);
  });
});
