import { X509Certificate } from 'node:crypto';

/** Longest x5c followed: attestation chains have one to three certificates, BLOB chains two or three. */
const MAX_PATH = 5;

/**
 * @internal
 * Parses certificates given as PEM text, or as DER bytes or base64 (the x5c and
 * attestationRootCertificates forms). Null for anything that is not a certificate.
 */
export function parseCertificate(given: string | Uint8Array): X509Certificate | null {
  try {
    if (typeof given !== 'string') return new X509Certificate(given);
    if (given.includes('-----BEGIN')) return new X509Certificate(given);
    return new X509Certificate(Buffer.from(given.replace(/\s+/g, ''), 'base64'));
  } catch {
    return null;
  }
}

/**
 * @internal
 * Whether `chain` (leaf first, as x5c orders it) leads to one of `anchors` at time `at`: each
 * certificate is signed by the next, which must be a CA, until one is signed by an anchor (or is
 * an anchor). Certificates above that point play no part, so a chain that carries a
 * cross-certificate of its root (the FIDO BLOB's GlobalSign Root R46, cross-signed by Root CA -
 * R3) validates against either root. Every certificate of the path, anchor included, must be
 * valid at `at`. Revocation lists are not fetched: nothing here touches the network.
 *
 * An anchor is trusted by configuration, as RFC 5280 §6.1.1 (d) treats a trust anchor: its CA
 * flag is not required, so an app can pin an authenticator's self-signed attestation certificate.
 *
 * @see RFC 5280 §6.1 (basic path validation); W3C WebAuthn Level 3 §7.1 step 22 (trust anchors)
 */
export function chainsTo(
  chain: readonly X509Certificate[],
  anchors: readonly X509Certificate[],
  at: number,
): boolean {
  const usable = anchors.filter((anchor) => validAt(anchor, at));
  if (chain.length === 0 || usable.length === 0) return false;
  for (let index = 0; index < Math.min(chain.length, MAX_PATH); index += 1) {
    const certificate = chain[index] as X509Certificate;
    if (!validAt(certificate, at)) return false;
    if (
      usable.some((anchor) => anchor.raw.equals(certificate.raw) || issuedBy(certificate, anchor))
    ) {
      return true;
    }
    const issuer = chain[index + 1];
    if (issuer === undefined || !issuer.ca || !issuedBy(certificate, issuer)) return false;
  }
  return false;
}

function issuedBy(certificate: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return certificate.checkIssued(issuer) && certificate.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

function validAt(certificate: X509Certificate, at: number): boolean {
  return Date.parse(certificate.validFrom) <= at && at <= Date.parse(certificate.validTo);
}
