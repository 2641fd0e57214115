import { type KeyObject, sign } from 'node:crypto';
import type { CborValue } from './cbor.js';

/**
 * The attestation key of a {@link SoftwareAuthenticator} and its certificate chain: what a maker
 * puts in a security key so that it can prove its model.
 *
 * @example new SoftwareAuthenticator({ origin, aaguid, attestation: { privateKey, certificates: [leaf.der, ca.der] } });
 * @see W3C WebAuthn Level 3 §6.5.3 (attestation types), §8.2 (packed)
 */
export interface AttestationSigner {
  /** The statement format it signs. @default 'packed' */
  format?: 'packed' | 'fido-u2f';
  /** The attestation private key (P-256), whose certificate is `certificates[0]`. */
  privateKey: KeyObject;
  /** The x5c: DER certificates, the attestation certificate first. */
  certificates: readonly Uint8Array[];
}

/**
 * The attestation a registration carries: `none`, `packed` or `fido-u2f` signed by the
 * authenticator's {@link AttestationSigner}, or `self` (packed, signed by the credential's own
 * key: proves nothing about the model).
 *
 * @example authenticator.register(options, { attestation: 'self' });
 * @see W3C WebAuthn Level 3 §8.2 (packed), §8.6 (FIDO U2F), §8.7 (none)
 */
export type AttestationFormat = 'none' | 'packed' | 'self' | 'fido-u2f';

/** @internal What an attestation statement signs over. */
export interface StatementInput {
  signer: AttestationSigner | undefined;
  credentialKey: KeyObject;
  authData: Uint8Array;
  clientDataHash: Uint8Array;
  rpIdHash: Uint8Array;
  credentialId: Uint8Array;
  /** The credential public key as an uncompressed P-256 point (0x04 ‖ x ‖ y). */
  publicKeyPoint: Uint8Array;
}

const ES256 = -7;

/** @internal The `fmt` and `attStmt` of an attestation object. */
export function attestationStatement(
  format: AttestationFormat,
  input: StatementInput,
): { fmt: string; attStmt: { [key: string]: CborValue } } {
  const { signer, credentialKey, authData, clientDataHash } = input;
  if (format === 'none') return { fmt: 'none', attStmt: {} };
  if (format === 'self') {
    const sig = sign('sha256', Buffer.concat([authData, clientDataHash]), credentialKey);
    return { fmt: 'packed', attStmt: { alg: ES256, sig } };
  }
  if (signer === undefined) {
    throw new TypeError(
      `SoftwareAuthenticator needs { attestation } (an AttestationSigner) to sign a ${format} statement`,
    );
  }
  const x5c = signer.certificates.map((certificate) => Uint8Array.from(certificate));
  if (format === 'fido-u2f') {
    // FIDO U2F raw message registration data: 0x00 ‖ rpIdHash ‖ clientDataHash ‖ id ‖ public key.
    const signed = Buffer.concat([
      Uint8Array.of(0),
      input.rpIdHash,
      clientDataHash,
      input.credentialId,
      input.publicKeyPoint,
    ]);
    return { fmt: 'fido-u2f', attStmt: { sig: sign('sha256', signed, signer.privateKey), x5c } };
  }
  const sig = sign('sha256', Buffer.concat([authData, clientDataHash]), signer.privateKey);
  return { fmt: 'packed', attStmt: { alg: ES256, sig, x5c } };
}
