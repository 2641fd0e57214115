import type { Verification } from '@checkpoint/core';
import { describe, expect, it } from 'vitest';
import { otpFactor, otpMethod, passwordFactor } from './factors.js';

function verification(fields: Partial<Verification>): Verification {
  return {
    id: 'vf_test',
    tenantId: 'default',
    purpose: 'login',
    to: { phone: { e164: '+14155550100', country: 'US', callingCode: '1' } },
    destinationHash: 'h',
    channels: ['sms'],
    channel: 'sms',
    status: 'approved',
    attempts: 1,
    maxAttempts: 5,
    sends: 1,
    maxSends: 5,
    resendCooldownSeconds: 30,
    codeLength: 6,
    locale: 'en',
    failureLimit: 20,
    failureWindowSeconds: 86_400,
    createdAt: 0,
    expiresAt: 600_000,
    lastSentAt: 0,
    deliveries: [{ channel: 'sms', status: 'sent', sentAt: 0, updatedAt: 0 }],
    media: ['sms'],
    ...fields,
  };
}

const sent = (channel: string) => ({ channel, status: 'sent' as const, sentAt: 0, updatedAt: 0 });

describe('passwordFactor', () => {
  it('is a pwd factor at AAL1 at the given time', () => {
    expect(passwordFactor({ at: 42 })).toEqual({ method: 'pwd', amr: ['pwd'], aal: 1, at: 42 });
  });
});

describe('otpFactor', () => {
  it('records an SMS code as otp-sms with amr sms, its length and its verification', () => {
    expect(otpFactor(verification({}), { at: 7 })).toEqual({
      method: 'otp-sms',
      amr: ['sms'],
      aal: 1,
      at: 7,
      source: 'vf_test',
      codeLength: 6,
    });
  });

  it('uses RFC 8176 tel for voice and otp + mca for WhatsApp and email (no registered value; never sms)', () => {
    const v = verification({});
    expect(otpFactor(v, { method: 'otp-voice' }).amr).toEqual(['tel']);
    expect(otpFactor(v, { method: 'otp-whatsapp' }).amr).toEqual(['otp', 'mca']);
    expect(otpFactor(v, { method: 'otp-email' }).amr).toEqual(['otp', 'mca']);
  });
});

describe('otpMethod', () => {
  it('reads the method from the media of the codes sent, never from channel names', () => {
    for (const [medium, method] of [
      ['sms', 'otp-sms'],
      ['voice', 'otp-voice'],
      ['whatsapp', 'otp-whatsapp'],
      ['email', 'otp-email'],
    ] as const) {
      for (const name of ['console', 'sms', 'mail', 'whatsapp-voice']) {
        const v = verification({ channel: name, deliveries: [sent(name)], media: [medium] });
        expect(otpMethod(v)).toBe(method);
      }
    }
  });

  it('counts a phone channel of undeclared medium as the weakest phone method, voice', () => {
    expect(otpMethod(verification({ media: ['phone'] }))).toBe('otp-voice');
  });

  it('counts the weakest code sent: an email code among SMS codes makes it otp-email', () => {
    const v = verification({
      channel: 'sms',
      deliveries: [sent('console'), sent('sms')],
      media: ['email', 'sms'],
    });
    expect(otpMethod(v)).toBe('otp-email');
  });

  it('counts the weakest code sent, not the current channel, when every code went by phone', () => {
    const v = verification({
      channel: 'sms',
      deliveries: [sent('voice'), sent('sms')],
      media: ['voice', 'sms'],
    });
    expect(otpMethod(v)).toBe('otp-voice');
  });

  it('refuses an object that is not a verification as checkpoint.get() returns it', () => {
    const { media: _media, ...old } = verification({});
    expect(() => otpMethod(old as Verification)).toThrow(
      /otpMethod\(verification\) needs a verification as checkpoint.get\(\) returns it/,
    );
  });
});

describe('otpFactor by default', () => {
  it('records the weakest medium of the verification', () => {
    const v = verification({ channel: 'sms', media: ['email', 'sms'] });
    expect(otpFactor(v, { at: 7 })).toMatchObject({ method: 'otp-email', amr: ['otp', 'mca'] });
  });
});
