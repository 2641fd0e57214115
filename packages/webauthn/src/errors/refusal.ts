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
  | 'webauthn:authenticator_status'
  | 'webauthn:counter'
  | 'webauthn:signature'
  | 'webauthn:attestation'
  | 'webauthn:verification';

/**
 * Why loading a FIDO metadata BLOB failed: the `reasons[0]` of the error `refresh()` rejects
 * with. `metadata_source` (a `store_unavailable` error) when the file or URL could not be read;
 * the others (`invalid_request`) when what was read must not be trusted: not a BLOB
 * (`metadata_format`), a certificate chain that does not lead to the configured roots
 * (`metadata_chain`), a signature that does not verify (`metadata_signature`), or a serial
 * number lower than the BLOB in use (`metadata_rollback`, an old BLOB replayed).
 *
 * @example if (err.reasons.includes('webauthn:metadata_chain')) alertOps('the metadata BLOB is not signed by FIDO');
 * @see FIDO Metadata Service v3.0 §3.2 (metadata BLOB object processing rules)
 */
export type MetadataFailure =
  | 'webauthn:metadata_source'
  | 'webauthn:metadata_format'
  | 'webauthn:metadata_chain'
  | 'webauthn:metadata_signature'
  | 'webauthn:metadata_rollback';

/** @internal The error a failed metadata load rejects with. */
export function metadataFailure(
  reason: MetadataFailure,
  message: string,
  cause?: unknown,
): CheckpointError {
  return new CheckpointError(
    reason === 'webauthn:metadata_source' ? 'store_unavailable' : 'invalid_request',
    message,
    { reasons: [reason], ...(cause === undefined ? {} : { cause }) },
  );
}

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
