import type { X509Certificate } from 'node:crypto';
import type { CredentialDeviceType, MetadataStatement } from '@simplewebauthn/server';
import type { CredentialAttestation } from '../credentials/StoredCredential.js';
import { refuse } from '../errors/refusal.js';
import { type AttestationSettings, approvalOf } from './AttestationOptions.js';
import { compromiseOf, REFUSED_STATUSES } from './authenticatorStatus.js';
import { chainsTo, parseCertificate } from './certificateChain.js';
import { keyIdentifierOf } from './keyIdentifier.js';

/** @internal What a registration's attestation proved, and whether the credential may count at AAL3. */
export interface Judgement {
  attested?: CredentialAttestation;
  /** A verified attestation of hardware-protected keys on a device-bound (BE unset) credential. */
  aal3Capable: boolean;
}

/** @internal The attestation facts, after @simplewebauthn/server verified the statement's signature. */
export interface AttestationFacts {
  tenantId: string | undefined;
  format: string;
  x5c: readonly Uint8Array[];
  aaguid: string;
  deviceType: CredentialDeviceType;
}

// Formats whose x5c leads to a maker's root. android-safetynet attests a device's integrity, not
// a key's protection; self and none attestation prove nothing about the model.
const CHAINED_FORMATS = new Set(['packed', 'tpm', 'android-key', 'apple', 'fido-u2f']);
const X5C_TYPES = new Set(['basic_full', 'attca', 'anonca']);
const HARDWARE = new Set(['hardware', 'secure_element', 'tee']);
const ZERO_AAGUID = '00000000-0000-0000-0000-000000000000';

/**
 * @internal
 * Judges a registration's attestation once its signature verified. It proves the model when its
 * certificate chain leads to a root listed for that model: the FIDO metadata's
 * (`attestationRootCertificates`), else the roots the tenant approved the model with. Anything
 * else (`none`, self attestation, an unknown root) proves nothing and is not refused: a browser
 * may strip attestation, and an unattested passkey is still a good AAL2 authenticator.
 *
 * A proven model whose metadata reports it revoked, or its user verification or keys
 * compromised, is refused (`webauthn:authenticator_status`); one whose attestation key leaked is
 * treated as unattested. The credential is AAL3-capable when the model is proven, keeps keys in
 * hardware (metadata keyProtection hardware, secure_element or tee, never software) or is one
 * the tenant approved, and the credential is device-bound.
 *
 * @see NIST SP 800-63B rev 4 §2.3, App. B (AAL3: non-exportable keys, no syncable authenticators);
 *   W3C WebAuthn Level 3 §7.1 steps 21–24; FIDO Metadata Service v3.0 §3.1.4
 */
export function judgeAttestation(
  settings: AttestationSettings & { now: () => number },
  facts: AttestationFacts,
): Judgement {
  const { tenantId, format, x5c, aaguid, deviceType } = facts;
  const chain = x5c.map((certificate) => parseCertificate(certificate));
  if (!CHAINED_FORMATS.has(format) || chain.length === 0 || chain.some((c) => c === null)) {
    return { aal3Capable: false };
  }
  const certificates = chain as X509Certificate[];
  const at = settings.now();
  const keyIdentifier = aaguid === ZERO_AAGUID ? keyIdentifierOf(x5c[0] as Uint8Array) : undefined;
  const model = { aaguid, ...(keyIdentifier === undefined ? {} : { keyIdentifier }) };
  const entry = settings.metadata?.entryFor(model);
  const statement = entry?.metadataStatement;

  let trust: CredentialAttestation['trust'] | undefined;
  let description = statement?.description;
  if (statement !== undefined && metadataVouches(statement, certificates, at)) {
    trust = 'metadata';
  } else if (aaguid !== ZERO_AAGUID) {
    const approved = approvalOf(settings, tenantId, aaguid);
    if (approved !== undefined && chainsTo(certificates, approved.roots, at)) {
      trust = 'tenant';
      description = approved.description ?? description;
    }
  }
  if (trust === undefined) return { aal3Capable: false };

  const status = compromiseOf(entry, at);
  if (status !== undefined && REFUSED_STATUSES.has(status)) {
    throw refuse(
      'webauthn:authenticator_status',
      `this authenticator model is reported ${status} by the FIDO metadata; use another one`,
    );
  }
  if (status !== undefined) return { aal3Capable: false };

  const keyProtection = [...(statement?.keyProtection ?? [])];
  const attested: CredentialAttestation = {
    format,
    aaguid,
    ...(keyIdentifier === undefined ? {} : { keyIdentifier }),
    trust,
    keyProtection,
    ...(description === undefined ? {} : { description }),
    verifiedAt: at,
  };
  return {
    attested,
    aal3Capable:
      deviceType === 'singleDevice' && (trust === 'tenant' || hardwareProtected(keyProtection)),
  };
}

/** @internal Keys kept in hardware (hardware, secure_element, tee) and never in software. */
export function hardwareProtected(keyProtection: readonly string[]): boolean {
  return keyProtection.some((kind) => HARDWARE.has(kind)) && !keyProtection.includes('software');
}

function metadataVouches(
  statement: MetadataStatement,
  chain: readonly X509Certificate[],
  at: number,
): boolean {
  // An x5c attestation of a model whose statement lists no certificate-based type is not the
  // attestation the maker registered.
  if (!statement.attestationTypes.some((type) => X5C_TYPES.has(type))) return false;
  const roots = statement.attestationRootCertificates
    .map((root) => parseCertificate(root))
    .filter((root): root is X509Certificate => root !== null);
  return chainsTo(chain, roots, at);
}
