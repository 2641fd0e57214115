import { describe, expect, it } from 'vitest';
import { CHECKPOINTS } from './catalogue.js';
import { type OtpMedium, type OtpMethod, otpMethodOf } from './otpMethodOf.js';

/** Hands an arbitrary value to a typed parameter: the point of these tests is misuse. */
const loose = <T>(value: unknown): T => value as T;

describe('otpMethodOf', () => {
  it.each<[readonly OtpMedium[], OtpMethod]>([
    // One medium: its own method; a phone channel that does not say how it reaches the phone
    // counts as the weakest way it could.
    [['sms'], 'otp-sms'],
    [['voice'], 'otp-voice'],
    [['whatsapp'], 'otp-whatsapp'],
    [['email'], 'otp-email'],
    [['phone'], 'otp-voice'],
    // Several live codes: the weakest one counts, email weakest, then voice, SMS, WhatsApp.
    [['email', 'sms'], 'otp-email'],
    [['sms', 'email'], 'otp-email'],
    [['whatsapp', 'email'], 'otp-email'],
    [['sms', 'voice'], 'otp-voice'],
    [['voice', 'sms'], 'otp-voice'],
    [['whatsapp', 'sms'], 'otp-sms'],
    [['sms', 'whatsapp'], 'otp-sms'],
    [['whatsapp', 'voice'], 'otp-voice'],
    [['whatsapp', 'phone'], 'otp-voice'],
    [['sms', 'phone'], 'otp-voice'],
    [['whatsapp', 'sms', 'voice', 'email'], 'otp-email'],
    [['sms', 'sms'], 'otp-sms'],
  ])('counts %j as %s', (media, method) => {
    expect(otpMethodOf(media)).toBe(method);
  });

  it('orders the phone methods as the step-up catalogue prefers them, strongest first', () => {
    const offered = CHECKPOINTS.billing_change.methods.filter((m) => m.startsWith('otp-'));
    expect(offered).toEqual(['otp-whatsapp', 'otp-sms', 'otp-voice']);
    // Each pair of phone media counts as the one offered later.
    for (const [i, stronger] of offered.entries()) {
      for (const weaker of offered.slice(i + 1)) {
        const media = [stronger, weaker].map((m) => m.slice('otp-'.length)) as OtpMedium[];
        expect(otpMethodOf(media)).toBe(weaker);
      }
    }
  });

  it('counts a medium it does not know as email, the weakest', () => {
    expect(otpMethodOf(loose(['sms', 'rcs']))).toBe('otp-email');
    expect(otpMethodOf(loose(['SMS']))).toBe('otp-email');
    expect(otpMethodOf(loose([42]))).toBe('otp-email');
  });

  it('refuses anything but a non-empty list of media, saying what to pass', () => {
    for (const value of [undefined, null, 'sms', {}, []]) {
      expect(() => otpMethodOf(loose(value))).toThrow(
        /otpMethodOf\(media\) needs the media of the codes sent/,
      );
    }
    expect(() => otpMethodOf(loose([]))).toThrow(TypeError);
  });
});
