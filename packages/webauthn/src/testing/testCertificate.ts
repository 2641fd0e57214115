import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { der } from './der.js';

/**
 * A certificate made by {@link testCertificate}, with its key: DER and PEM forms.
 *
 * @example const root = testCertificate({ subject: { CN: 'Test Root' }, ca: true }); root.pem;
 * @see RFC 5280 §4.1
 */
export interface TestCertificate {
  /** Its subject name: the issuer name of the certificates it signs. */
  name: TestName;
  der: Uint8Array<ArrayBuffer>;
  pem: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** Its subject key identifier, lower-case hex: how FIDO metadata names a U2F model's certificate. */
  keyIdentifier: string;
}

/**
 * The subject (and, for a self-signed certificate, issuer) name. An attestation certificate
 * needs all four, with `OU: 'Authenticator Attestation'` and a two-letter `C`.
 *
 * @example const name: TestName = { C: 'US', O: 'Acme Keys', OU: 'Authenticator Attestation', CN: 'Acme Key 5' };
 * @see W3C WebAuthn Level 3 §8.2.1 (packed attestation certificate requirements)
 */
export interface TestName {
  C?: string;
  O?: string;
  OU?: string;
  CN: string;
}

/**
 * Options of {@link testCertificate}.
 *
 * @example testCertificate({ subject: { CN: 'Test Intermediate' }, issuer: root, ca: true });
 * @see RFC 5280 §4.2.1.9 (basic constraints)
 */
export interface TestCertificateOptions {
  subject: TestName;
  /** The certificate (and key) that signs this one; self-signed when absent. */
  issuer?: TestCertificate;
  /** A certification authority (basicConstraints cA, keyCertSign). @default false */
  ca?: boolean;
  /** The FIDO AAGUID extension (id-fido-gen-ce-aaguid) of an attestation certificate. */
  aaguid?: string;
  /** @default 2020-01-01 */
  notBefore?: Date;
  /** @default 2099-12-31 */
  notAfter?: Date;
  /** The key to certify, e.g. another root's for a cross-certificate. @default a new P-256 key */
  keyPair?: { privateKey: KeyObject; publicKey: KeyObject };
}

const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
const NAME_OIDS: Record<keyof TestName, string> = {
  C: '2.5.4.6',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  CN: '2.5.4.3',
};

/**
 * Makes an X.509 v3 certificate on a fresh P-256 key, signed with ECDSA-SHA256 by `issuer` (or
 * by itself): roots, intermediates and attestation certificates for tests, with no network and
 * no OpenSSL. Carries subject and authority key identifiers, so chains build as real ones do.
 *
 * @example
 * const root = testCertificate({ subject: { CN: 'Test Attestation Root' }, ca: true });
 * const leaf = testCertificate({ subject: { C: 'US', O: 'Acme Keys', OU: 'Authenticator Attestation', CN: 'Acme Key 5' }, issuer: root, aaguid });
 * @see RFC 5280 §4.1; FIDO Metadata Statement §3.1 (attestationRootCertificates)
 */
export function testCertificate(options: TestCertificateOptions): TestCertificate {
  const { subject, issuer, ca = false, aaguid } = options;
  const {
    notBefore = new Date(Date.UTC(2020, 0, 1)),
    notAfter = new Date(Date.UTC(2099, 11, 31)),
  } = options;
  const { privateKey, publicKey } =
    options.keyPair ?? generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
  const signer = issuer ?? { privateKey, publicKey };
  const extensions = [
    extension('2.5.29.19', true, der.sequence(...(ca ? [der.boolean(true)] : []))),
    extension(
      '2.5.29.15',
      true,
      ca ? der.bitString(Uint8Array.of(0x06), 1) : der.bitString(Uint8Array.of(0x80), 7),
    ),
    extension('2.5.29.14', false, der.octetString(keyIdentifier(publicKey))),
    extension(
      '2.5.29.35',
      false,
      der.sequence(der.context(0, keyIdentifier(signer.publicKey), false)),
    ),
  ];
  if (aaguid !== undefined) {
    const bytes = Buffer.from(aaguid.replace(/-/g, ''), 'hex');
    extensions.push(extension('1.3.6.1.4.1.45724.1.1.4', false, der.octetString(bytes)));
  }
  const algorithm = der.sequence(der.oid(ECDSA_WITH_SHA256));
  const tbs = der.sequence(
    der.context(0, der.integer(Uint8Array.of(2))), // v3
    der.integer(randomBytes(16)),
    algorithm,
    name(issuer?.name ?? subject),
    der.sequence(der.time(notBefore), der.time(notAfter)),
    name(subject),
    spki,
    der.context(3, der.sequence(...extensions)),
  );
  const signature = sign('sha256', tbs, signer.privateKey);
  const certificate = new Uint8Array(der.sequence(tbs, algorithm, der.bitString(signature)));
  return {
    name: subject,
    der: certificate,
    pem: toPem(certificate),
    privateKey,
    publicKey,
    keyIdentifier: Buffer.from(keyIdentifier(publicKey)).toString('hex'),
  };
}

/** PEM text of a DER certificate. */
export function toPem(certificate: Uint8Array): string {
  const lines =
    Buffer.from(certificate)
      .toString('base64')
      .match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

function name(given: TestName): Uint8Array {
  const parts = (['C', 'O', 'OU', 'CN'] as const).flatMap((key) => {
    const value = given[key];
    if (value === undefined) return [];
    const text = key === 'C' ? der.printableString(value) : der.utf8String(value);
    return [der.set(der.sequence(der.oid(NAME_OIDS[key]), text))];
  });
  return der.sequence(...parts);
}

function extension(oid: string, critical: boolean, value: Uint8Array): Uint8Array {
  return der.sequence(
    der.oid(oid),
    ...(critical ? [der.boolean(true)] : []),
    der.octetString(value),
  );
}

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits (a P-256 point: the last 65 bytes). */
function keyIdentifier(publicKey: KeyObject): Uint8Array {
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  return new Uint8Array(
    createHash('sha1')
      .update(spki.subarray(spki.length - 65))
      .digest(),
  );
}
