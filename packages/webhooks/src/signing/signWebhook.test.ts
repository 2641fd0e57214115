import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { generateWebhookSecret } from './secrets.js';
import { signWebhook } from './signWebhook.js';

// The reference library's own test vector (libraries/javascript/src/webhook.test.ts).
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const ID = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const TIMESTAMP = 1614265330;
const BODY = '{"test": 2432232314}';
const EXPECTED = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';

describe('signWebhook', () => {
  it('produces the known answer byte for byte', () => {
    expect(signWebhook({ id: ID, timestamp: TIMESTAMP, body: BODY, secrets: SECRET })).toBe(
      EXPECTED,
    );
  });

  it('is HMAC-SHA256 over id.timestamp.body with the base64-decoded secret', () => {
    const key = Buffer.from(SECRET.slice('whsec_'.length), 'base64');
    const mac = createHmac('sha256', key).update(`${ID}.${TIMESTAMP}.${BODY}`).digest('base64');
    expect(EXPECTED).toBe(`v1,${mac}`);
  });

  it('signs with every secret, space-separated, for rotation', () => {
    const next = generateWebhookSecret();
    const header = signWebhook({
      id: ID,
      timestamp: TIMESTAMP,
      body: BODY,
      secrets: [SECRET, next],
    });
    const [first, second, ...rest] = header.split(' ');
    expect(first).toBe(EXPECTED);
    expect(second).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(rest).toEqual([]);
  });

  it('is accepted by the reference verifier for a current timestamp', () => {
    const timestamp = Math.floor(Date.now() / 1_000);
    const body = JSON.stringify({ type: 'verification.approved', data: { note: 'ünïcödé' } });
    const signature = signWebhook({ id: ID, timestamp, body, secrets: SECRET });
    const headers = {
      'webhook-id': ID,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signature,
    };
    expect(new Webhook(SECRET).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('refuses ids with a dot, fractional timestamps and secrets that are not whsec_', () => {
    expect(() =>
      signWebhook({ id: 'msg.1', timestamp: TIMESTAMP, body: BODY, secrets: SECRET }),
    ).toThrow(TypeError);
    expect(() => signWebhook({ id: ID, timestamp: 1.5, body: BODY, secrets: SECRET })).toThrow(
      TypeError,
    );
    expect(() =>
      signWebhook({ id: ID, timestamp: TIMESTAMP, body: BODY, secrets: 'secret' }),
    ).toThrow(/whsec_/);
    expect(() =>
      signWebhook({ id: ID, timestamp: TIMESTAMP, body: BODY, secrets: 'whsec_c2hvcnQ=' }),
    ).toThrow(/24 to 64 bytes/);
    expect(() => signWebhook({ id: ID, timestamp: TIMESTAMP, body: BODY, secrets: [] })).toThrow(
      TypeError,
    );
  });
});

describe('generateWebhookSecret', () => {
  it('makes whsec_ secrets of 32 random bytes by default', () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    expect(generateWebhookSecret()).not.toBe(secret);
    expect(() => generateWebhookSecret(16)).toThrow(TypeError);
  });
});
