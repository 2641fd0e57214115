import request from 'supertest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { answer, captureLogger, otpTestApp, PHONE } from '../testing/otpTestApp.js';

describe('otpRouter and the WebOTP line', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('ends the SMS with @host #code for the request’s host when the checkpoint has no origin', async () => {
    const { app, sms } = otpTestApp();
    const res = await request(app)
      .post('/otp/send')
      .set('Host', 'shop.example.com')
      .send({ to: PHONE, purpose: 'login' });
    expect(res.status).toBe(202);
    const message = sms.latest(PHONE);
    expect(message?.text.endsWith(`\n\n@shop.example.com #${message.code}`)).toBe(true);
  });

  it('drops the port of the Host header and does the same on resend', async () => {
    const { app, clock, sms } = otpTestApp();
    const sent = answer(
      await request(app)
        .post('/otp/send')
        .set('Host', 'Shop.Example.com:8443')
        .send({ to: PHONE, purpose: 'login' }),
    );
    await clock.advance(30_000);
    const res = await request(app)
      .post(`/otp/${sent.id}/resend`)
      .set('Host', 'shop.example.com')
      .send({});
    expect(res.status).toBe(202);
    expect(sms.messages).toHaveLength(2);
    for (const message of sms.messages) {
      expect(message.text.split('\n').at(-1)).toBe(`@shop.example.com #${message.code}`);
    }
  });

  it('uses the forwarded host only when the app trusts the proxy', async () => {
    const trusted = otpTestApp({ configure: (app) => app.set('trust proxy', true) });
    await request(trusted.app)
      .post('/otp/send')
      .set('Host', 'internal.example.net')
      .set('X-Forwarded-Host', 'shop.example.com')
      .send({ to: PHONE, purpose: 'login' });
    expect(trusted.sms.latest(PHONE)?.text.split('\n').at(-1)).toMatch(/^@shop\.example\.com #/);

    const direct = otpTestApp();
    await request(direct.app)
      .post('/otp/send')
      .set('Host', 'internal.example.net')
      .set('X-Forwarded-Host', 'shop.example.com')
      .send({ to: PHONE, purpose: 'login' });
    expect(direct.sms.latest(PHONE)?.text.split('\n').at(-1)).toMatch(/^@internal\.example\.net #/);
  });

  it('leaves the checkpoint’s own origin in place of the request’s host', async () => {
    const { app, sms } = otpTestApp({ checkpoint: { origin: 'https://app.example.com' } });
    await request(app)
      .post('/otp/send')
      .set('Host', 'shop.example.com')
      .send({ to: PHONE, purpose: 'login' });
    expect(sms.latest(PHONE)?.text.split('\n').at(-1)).toMatch(/^@app\.example\.com #/);
  });

  it('adds no line with webOtp false', async () => {
    const { app, sms } = otpTestApp({ router: { webOtp: false } });
    await request(app)
      .post('/otp/send')
      .set('Host', 'shop.example.com')
      .send({ to: PHONE, purpose: 'login' });
    expect(sms.latest(PHONE)?.text).not.toContain('\n');
  });

  it('warns once through the checkpoint’s logger when it first uses a request host in production', async () => {
    vi.stubEnv('NODE_ENV', 'production');
    const logger = captureLogger();
    const { app } = otpTestApp({ checkpoint: { logger } });
    for (let i = 0; i < 2; i += 1) {
      await request(app)
        .post('/otp/send')
        .set('Host', 'shop.example.com')
        .send({ to: PHONE, purpose: 'login' });
    }
    const warnings = logger.lines.filter((line) => line.startsWith('warn otpRouter'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('createCheckpoint({ origin })');
  });

  it('refuses a webOtp option that is not a boolean', () => {
    expect(() => otpTestApp({ router: { webOtp: 'yes' as unknown as boolean } })).toThrow(
      /`webOtp` must be true or false/,
    );
  });
});
