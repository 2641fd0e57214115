import { createHash } from 'node:crypto';
import { getCertificateInfo } from '@simplewebauthn/server/helpers';

const SUBJECT_KEY_IDENTIFIER = '2.5.29.14';

/**
 * @internal
 * The key identifier FIDO metadata names a U2F attestation certificate by: its subject key
 * identifier extension, or else SHA-1 of its public key bits (RFC 5280 §4.2.1.2, method 1);
 * lower-case hex. Undefined when the certificate cannot be read.
 *
 * @see FIDO Metadata Statement v3.0 §4 (attestationCertificateKeyIdentifiers)
 */
export function keyIdentifierOf(certificate: Uint8Array): string | undefined {
  try {
    const { tbsCertificate } = getCertificateInfo(Uint8Array.from(certificate)).parsedCertificate;
    const extension = tbsCertificate.extensions?.find(
      ({ extnID }) => extnID === SUBJECT_KEY_IDENTIFIER,
    );
    if (extension !== undefined) {
      // extnValue holds a DER OCTET STRING: tag, short length, the identifier.
      const value = new Uint8Array(extension.extnValue.buffer);
      if (value[0] === 0x04 && value[1] === value.length - 2) {
        return Buffer.from(value.subarray(2)).toString('hex');
      }
    }
    const bits = new Uint8Array(tbsCertificate.subjectPublicKeyInfo.subjectPublicKey);
    return createHash('sha1').update(bits).digest('hex');
  } catch {
    return undefined;
  }
}
