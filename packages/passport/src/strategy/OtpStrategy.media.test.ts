// Threat: an email code recorded as an SMS factor — because of the email channel's name, or because
// a fallback moved the verification to SMS after the email code was sent — counts toward AAL2
// where email must not.
import { createCheckpoint, type Verification, outboxChannel } from '@checkpoint/core';
import { ManualClock } from '@checkpoint/core/testing';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { ALICE, json, otpApp, SECRET, type TestUser } from '../fixtures/otpApp.js';
import { OtpStrategy } from './OtpStrategy.js';

const EMAIL = 'alice@example.com';

/** The verify callback: the approved email address, or else the phone number, names Alice. */
function alice(verification: Verification, done: (err: unknown, user?: TestUser) => void): void {
  const known = verification.to.email === EMAIL || verification.to.phone?.e164 === ALICE.phone;
  done(null, known ? ALICE : undefined);
}

/** The OTP factor the login recorded in the session (`state.factors`). */
async function factorOf(app: ReturnType<typeof otpApp>, id: string, code: string) {
  const response = await request.agent(app).post('/login/otp').send({ id, code });
  expect(response.status).toBe(200);
  return (json(response).factors as { method: string; amr: string[] }[])[0];
}

describe('OtpStrategy records the factor by the medium of the codes sent', () => {
  it.each(['console', 'mail', 'sandbox', 'sms'])(
    'records otp-email for an email channel named %s',
    async (name) => {
      const inbox = outboxChannel({ name, kind: 'email' });
      const checkpoint = createCheckpoint({ secret: SECRET, channels: [inbox] });
      const app = otpApp(new OtpStrategy({ checkpoint }, alice));
      const { id } = await checkpoint.send({ to: EMAIL, purpose: 'login' });
      expect(await factorOf(app, id, inbox.latest(EMAIL)?.code ?? '')).toMatchObject({
        method: 'otp-email',
        amr: ['otp', 'mca'],
      });
    },
  );

  it.each(['email', 'sms'])(
    'records otp-email for the %s code typed after a fallback from email to SMS',
    async (typed) => {
      const clock = new ManualClock();
      const mail = outboxChannel({ name: 'mail', kind: 'email' });
      const sms = outboxChannel({ name: 'sms' });
      const checkpoint = createCheckpoint({ secret: SECRET, channels: [mail, sms], clock });
      const app = otpApp(new OtpStrategy({ checkpoint, clock }, alice));
      const { id } = await checkpoint.send({
        to: { email: EMAIL, phone: ALICE.phone },
        purpose: 'login',
      });
      await clock.advance(30_000); // no delivery receipt: the fallback sends an SMS code
      expect((await checkpoint.get(id)).channel).toBe('sms');
      const code = (typed === 'email' ? mail.latest(EMAIL) : sms.latest(ALICE.phone))?.code;
      // Either code was live, so the login counts as the weaker one, whichever was typed.
      expect(await factorOf(app, id, code ?? '')).toMatchObject({
        method: 'otp-email',
        amr: ['otp', 'mca'],
      });
    },
  );

  it('records the medium a channel declares, not the one its name suggests', async () => {
    const calls = outboxChannel({ name: 'sms-backup' });
    const checkpoint = createCheckpoint({
      secret: SECRET,
      channels: [{ ...calls, medium: 'voice' }],
    });
    const app = otpApp(new OtpStrategy({ checkpoint }, alice));
    const { id } = await checkpoint.send({ to: ALICE.phone, purpose: 'login' });
    expect(await factorOf(app, id, calls.latest(ALICE.phone)?.code ?? '')).toMatchObject({
      method: 'otp-voice',
      amr: ['tel'],
    });
  });

  it('records otp-sms for an SMS code when no email code was sent', async () => {
    const sms = outboxChannel({ name: 'primary' });
    const checkpoint = createCheckpoint({
      secret: SECRET,
      channels: [{ ...sms, medium: 'sms' }],
    });
    const app = otpApp(new OtpStrategy({ checkpoint }, alice));
    const { id } = await checkpoint.send({
      to: { email: EMAIL, phone: ALICE.phone },
      purpose: 'login',
    });
    expect(await factorOf(app, id, sms.latest(ALICE.phone)?.code ?? '')).toMatchObject({
      method: 'otp-sms',
      amr: ['sms'],
    });
  });
});
