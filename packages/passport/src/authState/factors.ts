import type { Destination, Verification } from '@checkpoint/core';
import { factor } from '@checkpoint/policy';
import type { AuthFactor, OtpMethod } from './AuthState.js';

/**
 * The factor a verified password adds: `{ method: 'pwd', amr: ['pwd'], aal: 1, at }`.
 *
 * @param options.at When the password was checked, epoch ms. @default Date.now()
 * @example
 * await beginSecondFactor(req, { userId: user.id, factors: [passwordFactor()] });
 * @see https://www.rfc-editor.org/rfc/rfc8176#section-2 (`pwd`)
 */
export function passwordFactor({ at = Date.now() }: { at?: number } = {}): AuthFactor {
  // @checkpoint/policy builds it: RFC 8176 amr, and the AAL it reaches on its own.
  return asAuthFactor(factor('pwd', { at }));
}

/**
 * The factor an approved verification adds, e.g. `{ method: 'otp-sms', amr: ['sms'], aal: 1, at,
 * source: 'vf_…', codeLength: 6 }`. SMS and voice are restricted authenticators: never more than
 * AAL1 on their own, AAL2 only together with another factor (the policy decides that).
 *
 * @param options.at When the code was approved, epoch ms. @default Date.now()
 * @param options.method @default otpMethod(verification)
 * @example
 * const factor = otpFactor(await checkpoint.get(id));
 * @see https://pages.nist.gov/800-63-4/sp800-63b.html#pstnOOB (NIST SP 800-63B, PSTN as a restricted authenticator)
 */
export function otpFactor(
  verification: Verification,
  { at = Date.now(), method = otpMethod(verification) }: { at?: number; method?: OtpMethod } = {},
): AuthFactor {
  return asAuthFactor(
    factor(method, { at, source: verification.id, codeLength: verification.codeLength }),
  );
}

/**
 * The OTP method of a verification, from the names of the channels that carried its codes
 * (`whatsapp…` -> `otp-whatsapp`, `voice…`/`call…` -> `otp-voice`, `…mail…` -> `otp-email`,
 * `sms…` -> `otp-sms`; any other name -> `otp-sms` for a phone, `otp-email` otherwise).
 *
 * Every code sent for a verification stays valid until it expires, so the user may have typed any
 * of them: when an email code was among them the factor is `otp-email`, the weakest.
 *
 * @example otpMethod(verification) // 'otp-sms'
 */
export function otpMethod(verification: Verification): OtpMethod {
  const names = new Set(verification.deliveries.map((delivery) => delivery.channel));
  if (names.size === 0) names.add(verification.channel);
  const methods = [...names].map((name) => channelMethod(name, verification.to));
  if (methods.includes('otp-email')) return 'otp-email';
  return channelMethod(verification.channel, verification.to);
}

function channelMethod(name: string, to: Destination): OtpMethod {
  const lower = name.toLowerCase();
  if (lower.includes('whatsapp')) return 'otp-whatsapp';
  if (lower.includes('voice') || lower.includes('call')) return 'otp-voice';
  if (lower.includes('mail')) return 'otp-email';
  if (lower.includes('sms')) return 'otp-sms';
  // An unrecognised name: a phone-only destination means a phone channel; with an email address
  // in play, count the weaker one.
  return to.email === undefined ? 'otp-sms' : 'otp-email';
}

/** A policy Factor as the plain session object this package stores. */
function asAuthFactor(built: AuthFactor): AuthFactor {
  return { ...built, amr: [...built.amr] };
}
