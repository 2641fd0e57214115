import { describe, expect, it } from 'vitest';
import { whatsappVerifyHandshake } from './whatsappVerifyHandshake.js';

const verifyToken = 'a-verify-token';
const query = {
  'hub.mode': 'subscribe',
  'hub.verify_token': verifyToken,
  'hub.challenge': '1158201444',
};

describe('whatsappVerifyHandshake', () => {
  it('returns exactly the challenge for the right token', () => {
    expect(whatsappVerifyHandshake({ query, verifyToken })).toBe('1158201444');
    expect(whatsappVerifyHandshake({ query: new URLSearchParams(query), verifyToken })).toBe(
      '1158201444',
    );
  });

  it('returns undefined for a wrong token, mode or shape', () => {
    expect(
      whatsappVerifyHandshake({ query: { ...query, 'hub.verify_token': 'guess' }, verifyToken }),
    ).toBeUndefined();
    expect(
      whatsappVerifyHandshake({ query: { ...query, 'hub.mode': 'unsubscribe' }, verifyToken }),
    ).toBeUndefined();
    expect(
      whatsappVerifyHandshake({
        query: { ...query, 'hub.verify_token': [verifyToken] },
        verifyToken,
      }),
    ).toBeUndefined();
    expect(whatsappVerifyHandshake({ query: {}, verifyToken })).toBeUndefined();
  });

  it('never reflects a challenge that is not a plain token', () => {
    expect(
      whatsappVerifyHandshake({ query: { ...query, 'hub.challenge': '<script>' }, verifyToken }),
    ).toBeUndefined();
  });

  it('fails closed without a verify token', () => {
    expect(() => whatsappVerifyHandshake({ query, verifyToken: '' })).toThrow(TypeError);
  });
});
