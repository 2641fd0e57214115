import type { ChannelMedium } from '@checkpoint/core';
import { type Method, otpMethodOf } from '@checkpoint/policy';

/** @internal The factor method a code sent over a medium counts as (`otpMethodOf` of one medium). */
export function channelMethod(medium: ChannelMedium): Method {
  return otpMethodOf([medium]);
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
        return can.media.has('sms');
      case 'otp-voice':
        // A phone channel that does not say its medium counts as voice, the weaker one.
        return can.media.has('voice') || can.media.has('phone');
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
