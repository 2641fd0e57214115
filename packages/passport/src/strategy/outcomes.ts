import type { CheckResult, Verification } from '@checkpoint/core';
import type { AuthFactor } from '../authState/AuthState.js';

/**
 * Why an OTP login failed: a check result (`failed`, `expired`, `max_attempts`, `canceled`), or why
 * no code was compared.
 * - `missing_credentials`, `invalid_request`: the request was malformed (HTTP 400)
 * - `not_found`: no such verification for this purpose, tenant and subject, or already used — on
 *   purpose without saying which
 * - `no_pending_login`: the strategy binds a subject and there is none (no first factor yet)
 * - `rejected`: the verify callback refused the user without giving its own info
 *
 * @example
 * if (info.status === 'max_attempts') offerNewCode();
 */
export type OtpFailureStatus =
  | Exclude<CheckResult['status'], 'approved'>
  | 'not_found'
  | 'missing_credentials'
  | 'invalid_request'
  | 'no_pending_login'
  | 'rejected';

/**
 * The `info` of a failed OTP login (Passport's challenge): the third argument of a custom
 * `passport.authenticate` callback; the HTTP status is the fourth (400 or 401).
 *
 * @example
 * passport.authenticate('checkpoint-otp', (err, user, info, status) => {
 *   if (!user) return res.status(status ?? 401).json(info); // { status: 'failed', message: 'wrong code', remainingAttempts: 4 }
 * })(req, res, next);
 */
export interface OtpFailureInfo {
  status: OtpFailureStatus;
  /** For people; switch on `status`. */
  message: string;
  /** Attempts left on the verification; present when a code was checked. */
  remainingAttempts?: number;
}

/**
 * The `info` of a successful OTP login: the verify callback's own info (if any) plus the approved
 * verification and the factor it proved. Passport puts it at `req.authInfo`.
 *
 * @example
 * const { factor } = req.authInfo as OtpSuccessInfo; // { method: 'otp-sms', amr: ['sms'], aal: 1, … }
 */
export interface OtpSuccessInfo {
  [key: string]: unknown;
  verification: Verification;
  factor: AuthFactor;
}

/**
 * HTTP status of each failure: 400 for a malformed request, 401 otherwise. The strategy passes it
 * to `fail(info, status)`.
 *
 * @example FAILURE_HTTP_STATUS.missing_credentials // 400
 */
export const FAILURE_HTTP_STATUS: Readonly<Record<OtpFailureStatus, 400 | 401>> = {
  failed: 401,
  expired: 401,
  max_attempts: 401,
  canceled: 401,
  not_found: 401,
  missing_credentials: 400,
  invalid_request: 400,
  no_pending_login: 401,
  rejected: 401,
};

const MESSAGES: Readonly<Record<OtpFailureStatus, string>> = {
  failed: 'wrong code',
  expired: 'code expired',
  max_attempts: 'too many attempts',
  canceled: 'verification canceled',
  not_found: 'no such verification',
  missing_credentials: 'missing id or code',
  invalid_request: 'invalid id or code',
  no_pending_login: 'no pending login',
  rejected: 'not accepted',
};

/** @internal The failure info for `status`, with the attempts left when a code was checked. */
export function failureInfo(
  status: OtpFailureStatus,
  {
    remainingAttempts,
    message = MESSAGES[status],
  }: { remainingAttempts?: number; message?: string } = {},
): OtpFailureInfo {
  const info: OtpFailureInfo = { status, message };
  if (remainingAttempts !== undefined) info.remainingAttempts = remainingAttempts;
  return info;
}
