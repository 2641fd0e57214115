import type { AuthState, Factor, Method } from '@checkpoint/policy';

/**
 * How a factor was proved: `@checkpoint/policy`'s {@link Method}.
 *
 * @example const method: FactorMethod = 'otp-sms';
 * @see DESIGN.md "Step-up": `pwd`, `otp-sms`, `otp-email`, `otp-whatsapp`, `otp-voice`, `totp`, `webauthn`, `sso`
 */
export type FactorMethod = Method;

/**
 * The OTP subset of {@link FactorMethod}: what an approved verification proves.
 *
 * @example const method: OtpMethod = otpMethod(verification);
 */
export type OtpMethod = Extract<Method, `otp-${string}`>;

/**
 * One factor a user proved in this session: `@checkpoint/policy`'s {@link Factor}, a plain
 * object that lives in the session store. Build it with policy's `factor()` or this package's
 * `passwordFactor()` / `otpFactor()`.
 *
 * @example
 * const proved: AuthFactor = passwordFactor();
 * @see https://www.rfc-editor.org/rfc/rfc8176 (amr values)
 */
export type AuthFactor = Factor;

export type { AuthState };

/**
 * The session fields this package reads and writes. Merge them into express-session's
 * `SessionData` to type `req.session` in an app.
 *
 * @example
 * declare module 'express-session' {
 *   interface SessionData extends CheckpointSessionData {}
 * }
 */
export interface CheckpointSessionData {
  /** The authentication state of the logged-in user, written by `completeLogin`. */
  checkpoint?: AuthState;
  /** The user who proved some factors and still owes the login checkpoint more. */
  pendingUserId?: string;
  /** The tenant of that pending login. */
  pendingTenantId?: string;
  /** The factors that user proved so far; moved into `checkpoint` by `completeLogin`. */
  pendingFactors?: Factor[];
}
