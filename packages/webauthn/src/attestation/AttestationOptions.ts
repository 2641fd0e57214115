import type { X509Certificate } from 'node:crypto';
import type { CredentialAttestation } from '../credentials/StoredCredential.js';
import type { FidoMetadata } from '../metadata/createFidoMetadata.js';
import { parseCertificate } from './certificateChain.js';

/**
 * An authenticator model a tenant approves for AAL3 itself, with the attestation roots its
 * statements must chain to: for models the FIDO metadata does not list (an in-house key, a
 * vendor's private root), or to vouch for a model the metadata describes otherwise.
 *
 * @example const approved: ApprovedAuthenticator = { aaguid: 'ee882879-721c-4913-9775-3dfcce97072a', roots: [vendorRootPem], description: 'Acme-issued YubiKey 5' };
 * @see NIST SP 800-63B rev 4 §2.3 (AAL3 authenticators)
 */
export interface ApprovedAuthenticator {
  aaguid: string;
  /** PEM certificates (or base64 DER) an attestation of this model must chain to. */
  roots: readonly string[];
  /** The model's name, kept on the credential. */
  description?: string;
}

/**
 * A credential whose attestation proved it can count at AAL3, about to be bound: what
 * `approveAal3Enrolment` is asked about.
 *
 * @example approveAal3Enrolment: async ({ userId, first }) => (first ? await helpDesk.approvalFor(userId) : undefined)
 * @see NIST SP 800-63B rev 4 §4.1
 */
export interface Aal3Candidate {
  userId: string;
  tenantId?: string;
  attestation: CredentialAttestation;
  /** The account has no AAL3 credential yet. */
  first: boolean;
}

/**
 * An out-of-band approval of an AAL3 binding: who (or which ticket) approved it, kept on the
 * credential as `aal3.approvedBy`.
 *
 * @example return { approvedBy: 'it-admin:u_7 (ticket SEC-1042)' };
 */
export interface Aal3Approval {
  approvedBy: string;
}

/** @internal The attestation settings, checked. */
export interface AttestationSettings {
  attestation: 'none' | 'direct' | 'enterprise';
  metadata: FidoMetadata | undefined;
  approvedAuthenticators: (
    tenantId: string | undefined,
  ) => readonly ApprovedAuthenticator[] | undefined;
  approveAal3Enrolment:
    | ((candidate: Aal3Candidate) => Aal3Approval | undefined | Promise<Aal3Approval | undefined>)
    | undefined;
}

const CONVEYANCE = ['none', 'direct', 'enterprise'] as const;

/** @internal Checks the attestation options (a TypeError says what to pass) and applies defaults. */
export function resolveAttestationOptions(options: {
  attestation?: unknown;
  metadata?: unknown;
  approvedAuthenticators?: unknown;
  approveAal3Enrolment?: unknown;
}): AttestationSettings {
  const { metadata, approvedAuthenticators, approveAal3Enrolment } = options;
  if (
    metadata !== undefined &&
    (typeof metadata !== 'object' ||
      metadata === null ||
      typeof (metadata as Partial<FidoMetadata>).entryFor !== 'function')
  ) {
    throw new TypeError(
      'createWebAuthn metadata must be what createFidoMetadata() returned (load it with refresh())',
    );
  }
  if (approvedAuthenticators !== undefined && typeof approvedAuthenticators !== 'function') {
    throw new TypeError(
      'createWebAuthn approvedAuthenticators must be a function (tenantId) => [{ aaguid, roots }] | undefined',
    );
  }
  if (approveAal3Enrolment !== undefined && typeof approveAal3Enrolment !== 'function') {
    throw new TypeError(
      'createWebAuthn approveAal3Enrolment must be a function (candidate) => { approvedBy } | undefined',
    );
  }
  // Asking for attestation costs the user a privacy prompt on some keys: only when something
  // can check it.
  const checkable = metadata !== undefined || approvedAuthenticators !== undefined;
  const attestation = options.attestation ?? (checkable ? 'direct' : 'none');
  if (!CONVEYANCE.includes(attestation as (typeof CONVEYANCE)[number])) {
    throw new TypeError("createWebAuthn attestation must be 'none', 'direct' or 'enterprise'");
  }
  return {
    attestation: attestation as AttestationSettings['attestation'],
    metadata: metadata as FidoMetadata | undefined,
    approvedAuthenticators:
      (approvedAuthenticators as AttestationSettings['approvedAuthenticators'] | undefined) ??
      (() => undefined),
    approveAal3Enrolment: approveAal3Enrolment as AttestationSettings['approveAal3Enrolment'],
  };
}

/**
 * @internal
 * The tenant's approval of model `aaguid`, with its roots parsed; undefined when the tenant does
 * not approve it. A root that is not a certificate is the integrator's mistake: a TypeError.
 */
export function approvalOf(
  settings: AttestationSettings,
  tenantId: string | undefined,
  aaguid: string,
): { roots: X509Certificate[]; description?: string } | undefined {
  const wanted = aaguid.toLowerCase();
  const approved = settings
    .approvedAuthenticators(tenantId)
    ?.find((model) => typeof model?.aaguid === 'string' && model.aaguid.toLowerCase() === wanted);
  if (approved === undefined) return undefined;
  const roots = Array.isArray(approved.roots) ? approved.roots.map(parseCertificate) : [];
  if (roots.length === 0 || roots.some((root) => root === null)) {
    throw new TypeError(
      `approvedAuthenticators: the roots of ${approved.aaguid} must be PEM certificates`,
    );
  }
  return {
    roots: roots as X509Certificate[],
    ...(approved.description === undefined ? {} : { description: approved.description }),
  };
}
