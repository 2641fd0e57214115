import { describe, expect, it } from 'vitest';
import { createCheckpoint } from '../lifecycle/createCheckpoint.js';
import { harness, TEST_SECRET } from '../testing/harness.js';
import { outboxChannel } from './outboxChannel.js';

const TO = '+14155550100';
const EMAIL = 'jane@example.com';

describe('the WebOTP line by default', () => {
  it('ends every SMS with @host #code once the checkpoint knows its origin', async () => {
    const sms = outboxChannel({ name: 'sms' });
    const checkpoint = createCheckpoint({
      secret: TEST_SECRET,
      channels: [sms],
      origin: 'https://app.example.com',
    });
    await checkpoint.send({ to: TO, purpose: 'login' });
    await checkpoint.close();
    const message = sms.latest(TO);
    expect(message?.text.endsWith(`\n\n@app.example.com #${message.code}`)).toBe(true);
    expect(message?.text.split('\n')[0]).toContain('is your Checkpoint verification code');
  });

  it('drops the port of the origin, as the line carries a host only', async () => {
    const { checkpoint, sms } = harness({ origin: 'https://app.example.com:8443' });
    await checkpoint.send({ to: TO, purpose: 'login' });
    expect(sms.latest(TO)?.text.split('\n').at(-1)).toBe(
      `@app.example.com #${sms.latest(TO)?.code}`,
    );
  });

  it('leaves the line out with message.webOtp false', async () => {
    const { checkpoint, sms } = harness({
      origin: 'https://app.example.com',
      message: { webOtp: false },
    });
    await checkpoint.send({ to: TO, purpose: 'login' });
    expect(sms.latest(TO)?.text).not.toContain('@app.example.com');
    expect(sms.latest(TO)?.text).not.toContain('\n');
  });

  it('never adds the line to email messages', async () => {
    const { checkpoint, email } = harness({ origin: 'https://app.example.com' });
    await checkpoint.send({ to: EMAIL, purpose: 'login' });
    expect(email.latest(EMAIL)?.text).not.toContain('@app.example.com');
    expect(email.latest(EMAIL)?.text).not.toContain('\n');
  });

  it('lets an explicit message.webOtpDomain win over the origin', async () => {
    const { checkpoint, sms } = harness({
      origin: 'https://app.example.com',
      message: { webOtpDomain: 'login.example.com' },
    });
    await checkpoint.send({ to: TO, purpose: 'login' });
    expect(sms.latest(TO)?.text.split('\n').at(-1)).toBe(
      `@login.example.com #${sms.latest(TO)?.code}`,
    );
  });

  it('keeps the app hash line before the WebOTP line, which stays last', async () => {
    const { checkpoint, sms } = harness({
      origin: 'https://app.example.com',
      message: { appHash: 'FA+9qCX9VSu' },
    });
    await checkpoint.send({ to: TO, purpose: 'login' });
    const lines = sms.latest(TO)?.text.split('\n') ?? [];
    expect(lines.slice(-3)).toEqual([
      'FA+9qCX9VSu',
      '',
      `@app.example.com #${sms.latest(TO)?.code}`,
    ]);
  });

  it('refuses at construction an origin that is not an http(s) origin of a domain', () => {
    for (const origin of [
      'app.example.com',
      'ftp://app.example.com',
      'https://app.example.com/login',
      'https://app.example.com?next=/',
      'https://user@app.example.com',
      'https://203.0.113.7',
      'https://[2001:db8::1]',
      42,
    ]) {
      expect(() => harness({ origin: origin as string })).toThrow(TypeError);
    }
    expect(() => harness({ message: { webOtp: 'no' as unknown as boolean } })).toThrow(TypeError);
  });
});

describe('a per-send origin', () => {
  it('adds the WebOTP line when the checkpoint has no origin of its own', async () => {
    const { checkpoint, sms } = harness();
    await checkpoint.send({ to: TO, purpose: 'login', origin: 'https://shop.example.com' });
    expect(sms.latest(TO)?.text.split('\n').at(-1)).toBe(
      `@shop.example.com #${sms.latest(TO)?.code}`,
    );
  });

  it('gives way to the checkpoint’s own origin', async () => {
    const { checkpoint, sms } = harness({ origin: 'https://app.example.com' });
    await checkpoint.send({ to: TO, purpose: 'login', origin: 'https://shop.example.com' });
    expect(sms.latest(TO)?.text.split('\n').at(-1)).toBe(
      `@app.example.com #${sms.latest(TO)?.code}`,
    );
  });

  it('is honoured by resend', async () => {
    const { checkpoint, clock, sms } = harness();
    const { id } = await checkpoint.send({ to: TO, purpose: 'login', channels: ['sms'] });
    expect(sms.latest(TO)?.text).not.toContain('\n');
    await clock.advance(30_000);
    await checkpoint.resend(id, { origin: 'https://shop.example.com' });
    expect(sms.latest(TO)?.text.split('\n').at(-1)).toBe(
      `@shop.example.com #${sms.latest(TO)?.code}`,
    );
  });

  it('is not stored: a fallback sent later by a timer has no line', async () => {
    const { checkpoint, clock, voice } = harness();
    await checkpoint.send({ to: TO, purpose: 'login', origin: 'https://shop.example.com' });
    await clock.advance(30_000);
    expect(voice.latest(TO)?.code).toMatch(/^\d{6}$/);
    expect(voice.latest(TO)?.text).not.toContain('@shop.example.com');
  });

  it('is refused as invalid_request when it is not an http(s) origin of a domain', async () => {
    const { checkpoint } = harness();
    for (const origin of ['shop.example.com', 'https://127.0.0.1', 'javascript:alert(1)', 7]) {
      await expect(
        checkpoint.send({ to: TO, purpose: 'login', origin: origin as string }),
      ).rejects.toMatchObject({ code: 'invalid_request' });
    }
  });
});
