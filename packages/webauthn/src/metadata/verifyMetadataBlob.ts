import { constants, verify, type X509Certificate } from 'node:crypto';
import type { MetadataBLOBPayloadEntry } from '@simplewebauthn/server';
import { chainsTo, parseCertificate } from '../attestation/certificateChain.js';
import { metadataFailure } from '../errors/refusal.js';

/** @internal A BLOB whose signature verified: its serial number, next update and entries. */
export interface MetadataBlob {
  no: number;
  /** `YYYY-MM-DD`: when FIDO publishes the next one. */
  nextUpdate: string;
  entries: MetadataBLOBPayloadEntry[];
}

// The FIDO BLOB is a few megabytes; anything far larger is not one.
const MAX_BLOB = 64 * 1024 * 1024;

/** JWS algorithms → node:crypto verification parameters (RFC 7518 §3.1). */
const ALGORITHMS: Record<string, { hash: string; kind: 'ec' | 'rsa' | 'pss' }> = {
  ES256: { hash: 'sha256', kind: 'ec' },
  ES384: { hash: 'sha384', kind: 'ec' },
  ES512: { hash: 'sha512', kind: 'ec' },
  RS256: { hash: 'sha256', kind: 'rsa' },
  RS384: { hash: 'sha384', kind: 'rsa' },
  RS512: { hash: 'sha512', kind: 'rsa' },
  PS256: { hash: 'sha256', kind: 'pss' },
  PS384: { hash: 'sha384', kind: 'pss' },
  PS512: { hash: 'sha512', kind: 'pss' },
};

/**
 * @internal
 * Verifies a FIDO MDS3 BLOB: a JWS whose `x5c` header chains to one of `roots` at `at`, whose
 * signature verifies with the first certificate of that chain. Only then is the payload read.
 * Entries of the wrong shape are left out: an authenticator model the metadata does not describe
 * is treated as unknown, never as trusted.
 *
 * @see FIDO Metadata Service v3.0 §3.1.7 (metadata BLOB), §3.2 (processing rules); RFC 7515 §4.1.6 (x5c)
 */
export function verifyMetadataBlob(
  blob: string,
  roots: readonly X509Certificate[],
  at: number,
): MetadataBlob {
  const parts = blob.length <= MAX_BLOB ? blob.trim().split('.') : [];
  const [encodedHeader = '', encodedPayload = '', encodedSignature = ''] = parts;
  if (parts.length !== 3) throw format('it is not a JWT (header.payload.signature)');
  const header = json(encodedHeader, 'header');
  const algorithm = typeof header['alg'] === 'string' ? ALGORITHMS[header['alg']] : undefined;
  if (algorithm === undefined) throw format('its JWS alg is missing or not supported');
  const x5c = header['x5c'];
  if (!Array.isArray(x5c) || x5c.length === 0 || !x5c.every((c) => typeof c === 'string')) {
    throw format('its header carries no x5c certificate chain (x5u is not supported)');
  }
  const chain = x5c.map((certificate: string) => parseCertificate(certificate));
  if (!chain.every((certificate) => certificate !== null)) {
    throw format('its x5c holds something that is not a certificate');
  }
  if (!chainsTo(chain, roots, at)) {
    throw metadataFailure(
      'webauthn:metadata_chain',
      'the metadata BLOB is not signed by a certificate that chains to the configured root',
    );
  }
  const signer = chain[0] as X509Certificate;
  if (
    !signatureVerifies(`${encodedHeader}.${encodedPayload}`, encodedSignature, signer, algorithm)
  ) {
    throw metadataFailure(
      'webauthn:metadata_signature',
      'the metadata BLOB signature is not valid',
    );
  }
  const payload = json(encodedPayload, 'payload');
  const { no, nextUpdate, entries } = payload;
  if (!Number.isSafeInteger(no) || (no as number) < 0)
    throw format('its payload has no serial number');
  if (typeof nextUpdate !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(nextUpdate)) {
    throw format('its payload has no nextUpdate date');
  }
  if (!Array.isArray(entries)) throw format('its payload has no entries');
  return { no: no as number, nextUpdate, entries: entries.filter(isEntry) };
}

function signatureVerifies(
  signed: string,
  signature: string,
  signer: X509Certificate,
  { hash, kind }: { hash: string; kind: 'ec' | 'rsa' | 'pss' },
): boolean {
  try {
    const key = signer.publicKey;
    const expected = kind === 'ec' ? 'ec' : 'rsa';
    if (key.asymmetricKeyType !== expected) return false;
    const options =
      kind === 'ec'
        ? { key, dsaEncoding: 'ieee-p1363' as const }
        : kind === 'pss'
          ? {
              key,
              padding: constants.RSA_PKCS1_PSS_PADDING,
              saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
            }
          : { key };
    return verify(hash, Buffer.from(signed, 'ascii'), options, Buffer.from(signature, 'base64url'));
  } catch {
    return false;
  }
}

function json(encoded: string, part: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
  } catch {
    // reported below
  }
  throw format(`its ${part} is not a JSON object`);
}

function isEntry(value: unknown): value is MetadataBLOBPayloadEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  const statement = entry['metadataStatement'];
  return (
    Array.isArray(entry['statusReports']) &&
    entry['statusReports'].every(
      (report) => typeof (report as { status?: unknown })?.status === 'string',
    ) &&
    (entry['aaguid'] === undefined || typeof entry['aaguid'] === 'string') &&
    (entry['attestationCertificateKeyIdentifiers'] === undefined ||
      (Array.isArray(entry['attestationCertificateKeyIdentifiers']) &&
        entry['attestationCertificateKeyIdentifiers'].every((id) => typeof id === 'string'))) &&
    (statement === undefined || isStatement(statement))
  );
}

function isStatement(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const statement = value as Record<string, unknown>;
  const strings = (list: unknown) =>
    Array.isArray(list) && list.every((item) => typeof item === 'string');
  return (
    strings(statement['attestationRootCertificates']) &&
    strings(statement['keyProtection']) &&
    strings(statement['attestationTypes'])
  );
}

function format(why: string) {
  return metadataFailure('webauthn:metadata_format', `the metadata BLOB is not usable: ${why}`);
}
