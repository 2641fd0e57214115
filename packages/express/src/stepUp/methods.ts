import type { ChannelMedium, Checkpoint, CheckResult, Verification } from '@checkpoint/core';
import type { Method } from '@checkpoint/policy';

/** @internal The factor method a code sent over a medium counts as. */
export function channelMethod(medium: ChannelMedium): Method {
  switch (medium) {
    case 'email':
      return 'otp-email';
    case 'voice':
      return 'otp-voice';
    case 'whatsapp':
      return 'otp-whatsapp';
    default:
      return 'otp-sms';
  }
}

// Weakest first: an email code is not an authenticator (NIST SP 800-63B rev 4 §3.1.3.1); the
// PSTN ones are restricted.
const WEAKEST_FIRST: readonly Method[] = ['otp-email', 'otp-voice', 'otp-sms', 'otp-whatsapp'];

/**
 * @internal
 * The method an approved code counts as: the weakest medium among the channels that delivered a
 * code still valid for the verification (every code sent stays valid until expiry, so after a
 * fallback from email to SMS the user may have typed the email one).
 */
export function otpMethodOf(
  checkpoint: Checkpoint,
  result: CheckResult,
  verification: Verification,
): Method {
  const media = new Map(checkpoint.channels.map((channel) => [channel.name, channel.medium]));
  const names = new Set([result.channel, ...verification.deliveries.map((d) => d.channel)]);
  const methods = [...names].map((name) => channelMethod(media.get(name) ?? 'sms'));
  return WEAKEST_FIRST.find((method) => methods.includes(method)) ?? 'otp-sms';
}

/** @internal What the app configured, for {@link offeredMethods}. */
export interface Capabilities {
  media: ReadonlySet<ChannelMedium>;
  webauthn: boolean;
  sso: boolean;
  factors: boolean;
}

/**
 * @internal
 * Of a checkpoint's methods, those this app can run: a code only over a configured medium,
 * passkeys with `webauthn`, the IdP with `sso`, authenticator apps and recovery codes with
 * `factors`. A password (the app's own sign-in form) and remembered devices (login only) stay.
 */
export function offeredMethods(methods: readonly string[], can: Capabilities): string[] {
  return methods.filter((method) => {
    switch (method) {
      case 'otp-sms':
        return can.media.has('sms') || can.media.has('phone');
      case 'otp-voice':
        return can.media.has('voice');
      case 'otp-whatsapp':
        return can.media.has('whatsapp');
      case 'otp-email':
        return can.media.has('email');
      case 'webauthn':
        return can.webauthn;
      case 'sso':
        return can.sso;
      case 'totp':
      case 'recovery-code':
        return can.factors;
      default:
        return true;
    }
  });
}
