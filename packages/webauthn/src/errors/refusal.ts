import { CheckpointError, isCheckpointError } from '@checkpoint/core';

/**
 * Why a ceremony was refused: the `reasons[0]` of the `authentication_failed` error, stable across
 * versions. Switch on it; the message is for people.
 *
 * @example if (err.reasons.includes('webauthn:counter')) notifySecurityTeam(err);
 * @see W3C WebAuthn Level 3 §7.1 (registration), §7.2 (authentication)
 */
export type WebAuthnRefusal =
  | 'webauthn:challenge'
  | 'webauthn:type'
  | 'webauthn:origin'
  | 'webauthn:cross_origin'
  | 'webauthn:rp_id'
  | 'webauthn:user_presence'
  | 'webauthn:user_verification'
  | 'webauthn:credential_unknown'
  | 'webauthn:credential_owner'
  | 'webauthn:credential_flagged'
  | 'webauthn:credential_exists'
  | 'webauthn:aaguid'
  | 'webauthn:counter'
  | 'webauthn:signature'
  | 'webauthn:attestation'
  | 'webauthn:verification';

/** @internal An `authentication_failed` error carrying one {@link WebAuthnRefusal}. */
export function refuse(reason: WebAuthnRefusal, message: string, cause?: unknown): CheckpointError {
  return new CheckpointError('authentication_failed', message, {
    reasons: [reason],
    ...(cause === undefined ? {} : { cause }),
  });
}

/** @internal An `invalid_request` error for a body that is not a WebAuthn response at all. */
export function malformed(message: string): CheckpointError {
  return new CheckpointError('invalid_request', message, { reasons: ['webauthn:malformed'] });
}

/**
 * @internal
 * Runs a Store or CredentialRepository call (or the library's option builder, which reads what
 * the repository returned). Anything it throws, synchronously or not, that is not already a
 * CheckpointError becomes `store_unavailable`: an outage must never read as a refusal the user
 * can retry around, nor as an approval.
 */
export async function guarded<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isCheckpointError(error)) throw error;
    throw new CheckpointError('store_unavailable', `${what} failed`, { cause: error });
  }
}
