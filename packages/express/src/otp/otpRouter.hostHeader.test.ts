// Host-header injection: a forged Host must not put an IP, localhost or a malformed host in the SMS.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { otpTestApp, PHONE } from '../testing/otpTestApp.js';
import { dnsHostname } from './requestOrigin.js';

const FORGED = [
  '203.0.113.7',
  '203.0.113.7:8080',
  '[2001:db8::1]',
  'localhost',
  'localhost:3000',
  'app.localhost',
  'evil..com',
  '.evil.com',
  'evil.com.',
  'evil',
  '-evil.com',
  'evil_.com',
  'evil.com\\@good.com',
  `${'a'.repeat(64)}.com`,
];

describe('otpRouter with a forged Host header', () => {
  it('sends the code without a WebOTP line for a host that is not a DNS name with a dot', async () => {
    for (const host of FORGED) {
      const { app, sms } = otpTestApp();
      const res = await request(app).post('/otp/send').set('Host', host).send({
        to: PHONE,
        purpose: 'login',
      });
      expect(res.status, host).toBe(202);
      expect(sms.latest(PHONE)?.text, host).toMatch(/^\d{6} is your Checkpoint verification code/);
      expect(sms.latest(PHONE)?.text, host).not.toContain('\n');
    }
  });

  it('reads only letter-digit-hyphen labels, at least two, none of them all-digit at the end', () => {
    for (const host of FORGED) expect(dnsHostname(host), host).toBeUndefined();
    expect(dnsHostname('203.0.113.7')).toBeUndefined();
    expect(dnsHostname('10.0.0')).toBeUndefined();
    expect(dnsHostname('Shop.Example.com')).toBe('shop.example.com');
    expect(dnsHostname('xn--bcher-kva.example')).toBe('xn--bcher-kva.example');
  });
});
