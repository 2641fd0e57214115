import type { AuthenticatorStatus, MetadataBLOBPayloadEntry } from '@simplewebauthn/server';

/**
 * @internal
 * Statuses that say the model itself cannot be trusted: a registration that proves it is such a
 * model is refused, so its owner picks another authenticator instead of relying on this one.
 * REVOKED: "should not be trusted for any reason"; USER_VERIFICATION_BYPASS: malware can skip
 * the PIN or biometric, so it is not a multi-factor authenticator; USER_KEY_*_COMPROMISE: its
 * credential keys can be extracted.
 */
export const REFUSED_STATUSES: ReadonlySet<AuthenticatorStatus> = new Set([
  'REVOKED',
  'USER_VERIFICATION_BYPASS',
  'USER_KEY_REMOTE_COMPROMISE',
  'USER_KEY_PHYSICAL_COMPROMISE',
]);

/**
 * @internal
 * The attestation key of the model leaked: an attestation of it proves nothing, so the credential
 * is treated as unattested (AAL2 at most) rather than refused.
 */
export const UNATTESTING_STATUSES: ReadonlySet<AuthenticatorStatus> = new Set([
  'ATTESTATION_KEY_COMPROMISE',
]);

/**
 * @internal
 * The worst status in effect at `at` among a model's reports: a refused one first, then an
 * unattesting one, else undefined. A later report (FIDO_CERTIFIED, UPDATE_AVAILABLE) does not
 * lift an earlier compromise: firmware versions are not in the authenticator data, so fixed and
 * unfixed devices look the same. Reports dated in the future are not in effect yet.
 *
 * @see FIDO Metadata Service v3.0 §3.1.3 (AuthenticatorStatus), §3.1.4 (StatusReport)
 */
export function compromiseOf(
  entry: MetadataBLOBPayloadEntry | undefined,
  at: number,
): AuthenticatorStatus | undefined {
  const inEffect = (entry?.statusReports ?? []).filter(
    ({ effectiveDate }) => effectiveDate === undefined || !(Date.parse(effectiveDate) > at),
  );
  const statuses = inEffect.map((report) => report.status);
  return (
    statuses.find((status) => REFUSED_STATUSES.has(status)) ??
    statuses.find((status) => UNATTESTING_STATUSES.has(status))
  );
}
