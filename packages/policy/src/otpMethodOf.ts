import type { Method } from './Factor.js';
import { shown } from './guards.js';

/**
 * What carried a one-time code: @checkpoint/core's channel medium, as a check result's `media`
 * and a verification's `media` list them. `phone` is a phone channel that does not declare how it
 * reaches the phone.
 *
 * @example const media: OtpMedium[] = ['email', 'sms'];
 * @see NIST SP 800-63B rev 4 §3.1.3 (out-of-band devices)
 */
export type OtpMedium = 'sms' | 'voice' | 'whatsapp' | 'email' | 'phone';

/**
 * The methods of a one-time code sent by Checkpoint: `otp-sms`, `otp-voice`, `otp-whatsapp`,
 * `otp-email`.
 *
 * @example const method: OtpMethod = otpMethodOf(['sms']);
 * @see NIST SP 800-63B rev 4 §3.1.3
 */
export type OtpMethod = Extract<Method, `otp-${string}`>;

// Weakest first. Email is not an authenticator at all (§3.1.3.1: it does not prove possession of
// a device). Voice and SMS both go over the PSTN, which NIST restricts alike (§3.1.3.3); voice
// counts as the weaker because an unanswered call lands in voicemail, readable without the phone,
// and call forwarding diverts calls, not texts (the catalogue, too, offers it last).
// WhatsApp is not the PSTN but an encrypted channel to an app on the device (§3.1.3.1), not
// restricted: the policy counts it as it counts an authenticator app.
const WEAKEST_FIRST: readonly OtpMethod[] = ['otp-email', 'otp-voice', 'otp-sms', 'otp-whatsapp'];

const METHOD_OF: Readonly<Record<OtpMedium, OtpMethod>> = {
  email: 'otp-email',
  // A phone channel of undeclared medium could be any of the three: the weakest counts.
  phone: 'otp-voice',
  voice: 'otp-voice',
  sms: 'otp-sms',
  whatsapp: 'otp-whatsapp',
};

/**
 * The factor method of an approved one-time code, from the media of every code that was live for
 * the verification: any of them may have been the one typed, so the weakest counts. Email is the
 * weakest, then voice (and a phone channel of undeclared medium), then SMS, then WhatsApp. A
 * medium this function does not know counts as email.
 *
 * @param media The check result's or the verification's `media`, in any order.
 * @example
 * const result = await checkpoint.check({ id, code });
 * if (result.status === 'approved') proved = factor(otpMethodOf(result.media), { at: now, codeLength: 6 });
 * otpMethodOf(['email', 'sms']); // 'otp-email': the email code was still valid after the fallback to SMS
 * @see NIST SP 800-63B rev 4 §3.1.3.1 (no email OOB), §3.1.3.3 (PSTN restricted)
 */
export function otpMethodOf(media: readonly OtpMedium[]): OtpMethod {
  if (!Array.isArray(media) || media.length === 0) {
    throw new TypeError(
      `otpMethodOf(media) needs the media of the codes sent, e.g. checkResult.media (['sms']); got ${Array.isArray(media) ? 'an empty list' : shown(media)}`,
    );
  }
  // A medium not listed counts as the weakest, never as a guess at a stronger one.
  const methods = (media as readonly unknown[]).map((medium) =>
    typeof medium === 'string' && Object.hasOwn(METHOD_OF, medium)
      ? METHOD_OF[medium as OtpMedium]
      : 'otp-email',
  );
  return WEAKEST_FIRST.find((method) => methods.includes(method)) ?? 'otp-email';
}
