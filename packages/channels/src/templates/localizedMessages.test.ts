import { createCheckpoint, outboxChannel } from '@checkpoint/core';
import { describe, expect, it } from 'vitest';
import { type LocalizedMessagesOptions, localizedMessages } from './localizedMessages.js';

const SECRET = 'a-test-secret-of-at-least-32-bytes!!';
const PHONE = '+14155550100';
const APP_HASH = 'FA+9qCX9VSu';

/** Renders through core, as the app would: the text a phone channel receives. */
async function sent(
  options: LocalizedMessagesOptions,
  input: { locale?: string; approving?: string; to?: string; origin?: string } = {},
  checkpointOrigin?: string,
) {
  const sms = outboxChannel({ name: 'sms', kind: input.to?.includes('@') ? 'email' : 'phone' });
  const checkpoint = createCheckpoint({
    secret: SECRET,
    channels: [sms],
    message: localizedMessages(options),
    ...(checkpointOrigin === undefined ? {} : { origin: checkpointOrigin }),
  });
  const to = input.to ?? PHONE;
  await checkpoint.send({
    to,
    purpose: 'login',
    ...(input.locale === undefined ? {} : { locale: input.locale }),
    ...(input.approving === undefined ? {} : { approving: input.approving }),
    ...(input.origin === undefined ? {} : { origin: input.origin }),
  });
  await checkpoint.close();
  const message = sms.latest(to);
  if (message === undefined) throw new Error('nothing was sent');
  return message;
}

describe('localizedMessages', () => {
  it('renders English by default, with the WebOTP line last', async () => {
    const { text, code } = await sent({ appName: 'Acme', webOtpDomain: 'console.acme.example' });
    const lines = text.split('\n');
    expect(lines[0]).toBe(
      `${code} is your Acme verification code. It expires in 10 minutes. Do not share it.`,
    );
    expect(lines.at(-1)).toBe(`@console.acme.example #${code}`);
  });

  it('renders Spanish for es and its regional variants', async () => {
    const { text, code } = await sent({ appName: 'Acme' }, { locale: 'es-MX' });
    expect(text).toBe(
      `${code} es tu código de verificación de Acme. Caduca en 10 minutos. No lo compartas.`,
    );
  });

  it('falls back to English for a locale it does not know', async () => {
    const { text } = await sent({}, { locale: 'fr-FR' });
    expect(text).toContain('is your Checkpoint verification code');
  });

  it('says what an action-bound code approves', async () => {
    const { text, code } = await sent({ appName: 'Acme' }, { approving: 'a new API key' });
    expect(text).toBe(
      `${code} approves a new API key in Acme. It expires in 10 minutes. Do not share it.`,
    );
  });

  it('adds the app hash before the WebOTP line and stays within 140 bytes, in each locale', async () => {
    for (const locale of ['en', 'es']) {
      const { text, code } = await sent(
        { appName: 'Acme', webOtpDomain: 'console.acme.example', appHash: APP_HASH },
        { locale },
      );
      const lines = text.split('\n');
      expect(lines.at(-1)).toBe(`@console.acme.example #${code}`);
      expect(lines.at(-3)).toBe(APP_HASH);
      expect(Buffer.byteLength(text, 'utf8')).toBeLessThanOrEqual(140);
    }
  });

  it('shortens a body that would pass 140 bytes with the app hash', async () => {
    const options = {
      appName: 'Acme Console',
      webOtpDomain: 'console.acme.example',
      appHash: APP_HASH,
    };
    const { text, code } = await sent(options, {
      locale: 'es',
      approving: 'la exportación completa de los registros de auditoría',
    });
    expect(text.split('\n')[0]).toBe(`${code} es tu código de Acme Console.`);
    expect(Buffer.byteLength(text, 'utf8')).toBeLessThanOrEqual(140);
  });

  it('keeps long bodies when no app hash is set', async () => {
    const approving = 'la exportación completa de los registros de auditoría';
    const { text } = await sent(
      { appName: 'Acme Console', webOtpDomain: 'console.acme.example' },
      { locale: 'es', approving },
    );
    expect(text).toContain(approving);
    expect(Buffer.byteLength(text, 'utf8')).toBeGreaterThan(140);
  });

  it('gives email messages the body only, without the phone lines', async () => {
    const { text } = await sent(
      { webOtpDomain: 'console.acme.example', appHash: APP_HASH },
      { to: 'jane@example.com' },
    );
    expect(text).not.toContain('\n');
    expect(text).not.toContain(APP_HASH);
  });

  it('refuses at start-up an SMS that cannot fit 140 bytes with the app hash', () => {
    expect(() => localizedMessages({ appName: 'A'.repeat(120), appHash: APP_HASH })).toThrow(
      /140 bytes/,
    );
    expect(() =>
      localizedMessages({ appHash: APP_HASH, templates: { fr: { smsShort: 'x'.repeat(130) } } }),
    ).toThrow(/'fr' smsShort/);
  });

  it('refuses a malformed app hash or WebOTP domain', () => {
    expect(() => localizedMessages({ appHash: 'too-short' })).toThrow(TypeError);
    expect(() => localizedMessages({ webOtpDomain: 'https://acme.example' })).toThrow(TypeError);
    expect(() => localizedMessages({ webOtpDomain: 'acme.example:443' })).toThrow(TypeError);
  });

  it('ends each locale’s SMS with the WebOTP line by default once the origin is known', async () => {
    for (const locale of ['en', 'es']) {
      const { text, code } = await sent({ appName: 'Acme' }, { locale }, 'https://app.example.com');
      expect(text.split('\n').at(-1)).toBe(`@app.example.com #${code}`);
    }
    const perSend = await sent(
      { appName: 'Acme' },
      { locale: 'es', origin: 'https://shop.example.com' },
    );
    expect(perSend.text.split('\n').at(-1)).toBe(`@shop.example.com #${perSend.code}`);
  });

  it('leaves the line out with webOtp false, even when the origin is known', async () => {
    const { text } = await sent({ webOtp: false }, {}, 'https://app.example.com');
    expect(text).not.toContain('\n');
  });

  it('measures the host of the origin in the 140 bytes of an app-hash SMS', async () => {
    const host = `${'login-'.repeat(6)}acme.example`;
    const { text, code } = await sent(
      { appName: 'Acme Console', appHash: APP_HASH },
      { locale: 'es' },
      `https://${host}`,
    );
    expect(text.split('\n')[0]).toBe(`${code} es tu código de Acme Console.`);
    expect(text.split('\n').at(-1)).toBe(`@${host} #${code}`);
    expect(Buffer.byteLength(text, 'utf8')).toBeLessThanOrEqual(140);
  });
});
