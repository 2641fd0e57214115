import { sign } from 'node:crypto';
import type {
  KeyProtection,
  MetadataBLOBPayloadEntry,
  MetadataStatement,
  StatusReport,
} from '@simplewebauthn/server';
import type { TestCertificate } from './testCertificate.js';

/**
 * Options of {@link metadataBlob}.
 *
 * @example metadataBlob({ signer: [signing, intermediate], entries: [metadataEntry({ aaguid, attestationRoots: [root] })] });
 * @see FIDO Metadata Service v3.0 §3.1.6 (metadata BLOB payload)
 */
export interface MetadataBlobOptions {
  /** The signing chain, leaf first, as the JWS `x5c` carries it; the first one's key signs. */
  signer: readonly TestCertificate[];
  entries: readonly MetadataBLOBPayloadEntry[];
  /** Serial number. @default 1 */
  no?: number;
  /** @default '2099-12-01' */
  nextUpdate?: string;
}

/**
 * A FIDO MDS3 BLOB: a JWS (ES256) with the signing chain in its `x5c` header, as
 * https://mds3.fidoalliance.org/ serves it, signed by a test certificate.
 *
 * @example const blob = metadataBlob({ signer: [signing, mdsRoot], entries });
 * @see FIDO Metadata Service v3.0 §3.1.7 (metadata BLOB); RFC 7515
 */
export function metadataBlob({
  signer,
  entries,
  no = 1,
  nextUpdate = '2099-12-01',
}: MetadataBlobOptions): string {
  const [leaf] = signer;
  if (leaf === undefined) throw new TypeError('metadataBlob needs a signer chain');
  const header = {
    alg: 'ES256',
    typ: 'JWT',
    x5c: signer.map((certificate) => Buffer.from(certificate.der).toString('base64')),
  };
  const payload = {
    legalHeader: 'Test metadata: not from the FIDO Alliance.',
    no,
    nextUpdate,
    entries,
  };
  const signed = `${encode(header)}.${encode(payload)}`;
  const signature = sign('sha256', Buffer.from(signed), {
    key: leaf.privateKey,
    dsaEncoding: 'ieee-p1363',
  });
  return `${signed}.${signature.toString('base64url')}`;
}

/**
 * An authenticator model for {@link metadataEntry}.
 *
 * @example const model: MetadataModel = { aaguid, attestationRoots: [root], keyProtection: ['software'] };
 * @see FIDO Metadata Statement v3.0 §4 (metadata keys)
 */
export interface MetadataModel {
  /** FIDO2 models. */
  aaguid?: string;
  /** U2F models: the subject key identifiers (hex) of their attestation certificates. */
  attestationCertificateKeyIdentifiers?: string[];
  /** @default 'Test authenticator' */
  description?: string;
  /** Certificates its attestation chains to. */
  attestationRoots: readonly TestCertificate[];
  /** @default ['hardware', 'secure_element'] */
  keyProtection?: KeyProtection[];
  /** @default [{ status: 'FIDO_CERTIFIED_L1', effectiveDate: '2024-01-01' }] */
  statusReports?: StatusReport[];
}

/**
 * One entry of a BLOB: a complete metadata statement with the model's attestation roots, key
 * protection and status reports, the rest filled with plausible values.
 *
 * @example metadataEntry({ aaguid, attestationRoots: [attestationRoot], statusReports: [{ status: 'REVOKED', effectiveDate: '2026-01-01' }] });
 * @see FIDO Metadata Statement v3.0; FIDO Metadata Service v3.0 §3.1.1 (metadata BLOB payload entry)
 */
export function metadataEntry(model: MetadataModel): MetadataBLOBPayloadEntry {
  const {
    aaguid,
    attestationCertificateKeyIdentifiers,
    description = 'Test authenticator',
    attestationRoots,
    keyProtection = ['hardware', 'secure_element'],
    statusReports = [{ status: 'FIDO_CERTIFIED_L1', effectiveDate: '2024-01-01' }],
  } = model;
  const ids = {
    ...(aaguid === undefined ? {} : { aaguid }),
    ...(attestationCertificateKeyIdentifiers === undefined
      ? {}
      : { attestationCertificateKeyIdentifiers }),
  };
  const metadataStatement: MetadataStatement = {
    ...ids,
    description,
    authenticatorVersion: 1,
    protocolFamily: aaguid === undefined ? 'u2f' : 'fido2',
    schema: 3,
    upv: [{ major: 1, minor: 1 }],
    authenticationAlgorithms: ['secp256r1_ecdsa_sha256_raw'],
    publicKeyAlgAndEncodings: ['cose'],
    attestationTypes: ['basic_full'],
    userVerificationDetails: [[{ userVerificationMethod: 'passcode_external' }]],
    keyProtection,
    matcherProtection: ['on_chip'],
    tcDisplay: [],
    attestationRootCertificates: attestationRoots.map((root) =>
      Buffer.from(root.der).toString('base64'),
    ),
  };
  return {
    ...ids,
    metadataStatement,
    statusReports,
    timeOfLastStatusChange: statusReports.at(-1)?.effectiveDate ?? '2024-01-01',
  };
}

function encode(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}
