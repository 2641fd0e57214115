import type { Verification } from '@checkpoint/core';
import { factor, otpMethodOf } from '@checkpoint/policy';
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
 * The OTP method of a verification: @checkpoint/policy's `otpMethodOf` over the media of every
 * code sent for it (`verification.media`), never over channel names. Every code stays valid until
 * it expires, so the user may have typed any of them and the weakest counts: an email code among
 * them makes it `otp-email`; otherwise voice (or a phone channel that does not declare its
 * medium) before SMS before WhatsApp.
 *
 * @example otpMethod(await checkpoint.get(id)) // 'otp-sms'; after a fallback from email to SMS, 'otp-email'
 * @see https://pages.nist.gov/800-63-4/sp800-63b.html#pstnOOB (NIST SP 800-63B, PSTN as a restricted authenticator)
 */
export function otpMethod(verification: Verification): OtpMethod {
  // A hand-built object, or one from before verifications listed their media: refuse, never guess.
  if (!Array.isArray(verification.media)) {
    throw new TypeError(
      'otpMethod(verification) needs a verification as checkpoint.get() returns it, with its `media`',
    );
  }
  return otpMethodOf(verification.media);
}

/** A policy Factor as the plain session object this package stores. */
function asAuthFactor(built: AuthFactor): AuthFactor {
  return { ...built, amr: [...built.amr] };
}
