/**
 * How a factor was proved. The OTP methods name the channel that carried the code.
 *
 * @example const method: FactorMethod = 'otp-sms';
 * @see DESIGN.md "Step-up": `pwd`, `otp-sms`, `otp-email`, `otp-whatsapp`, `otp-voice`, `totp`, `webauthn`, `sso`
 */
export type FactorMethod =
  | 'pwd'
  | 'otp-sms'
  | 'otp-email'
  | 'otp-whatsapp'
  | 'otp-voice'
  | 'totp'
  | 'webauthn'
  | 'sso';

/**
 * The OTP subset of {@link FactorMethod}: what an approved verification proves.
 *
 * @example const method: OtpMethod = otpMethod(verification);
 */
export type OtpMethod = Extract<FactorMethod, `otp-${string}`>;

/**
 * One factor a user proved in this session. A plain object (it lives in the session store);
 * `@checkpoint/policy` evaluates a list of them against a checkpoint.
 *
 * @example
 * const factor: AuthFactor = { method: 'otp-sms', amr: ['sms'], aal: 1, at: Date.now(), codeLength: 6 };
 * @see https://www.rfc-editor.org/rfc/rfc8176 (amr values)
 */
export interface AuthFactor {
  method: FactorMethod;
  /** RFC 8176 Authentication Method Reference values, e.g. `['pwd']`, `['sms']`. */
  amr: string[];
  /** The assurance level this factor reaches on its own (NIST SP 800-63B); combinations are the policy's business. */
  aal: 1 | 2 | 3;
  /** When it was proved, epoch milliseconds. */
  at: number;
  /** What proved it: the verification id for an OTP, the issuer for SSO. */
  source?: string;
  /** Digits of the code, for OTP factors (4–5 digits never count toward AAL2). */
  codeLength?: number;
}

/**
 * What a session has proved about its user, kept at `req.session.checkpoint`.
 *
 * @example
 * const state: AuthState = {
 *   userId: 'u1',
 *   tenantId: 'default',
 *   factors: [passwordFactor(), { method: 'otp-sms', amr: ['sms'], aal: 1, at: Date.now(), codeLength: 6 }],
 * };
 */
export interface AuthState {
  userId: string;
  tenantId: string;
  factors: AuthFactor[];
}

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
  /** The user who proved a first factor and still owes a second, written by `beginSecondFactor`. */
  pendingUserId?: string;
  /** The factors that user proved so far; moved into `checkpoint` by `completeLogin`. */
  pendingFactors?: AuthFactor[];
}
