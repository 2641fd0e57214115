import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  twilioSignature,
  urlVariants,
  validateTwilioSignature,
} from './validateTwilioSignature.js';

const authToken = '12345';
const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const params = {
  CallSid: 'CA1234567890ABCDE',
  Caller: '+12349013030',
  Digits: '1234',
  From: '+12349013030',
  To: '+18005551212',
};
// Twilio's documented example: this URL, these parameters and this token.
const DOCUMENTED = '0/KCTR6DLpKmkAf8muzZqo1nDgQ=';

describe('twilioSignature', () => {
  it("reproduces Twilio's documented example signature", () => {
    expect(twilioSignature({ authToken, url, params })).toBe(DOCUMENTED);
  });

  it('signs URL + sorted name/value pairs with HMAC-SHA1', () => {
    const expected = createHmac('sha1', 'tok')
      .update('https://a.example/cbA1B2b3')
      .digest('base64');
    expect(
      twilioSignature({
        authToken: 'tok',
        url: 'https://a.example/cb',
        params: { b: '3', A: '1', B: '2' },
      }),
    ).toBe(expected);
  });

  it('signs each distinct value of a repeated parameter, sorted', () => {
    const expected = createHmac('sha1', 'tok').update('https://a.example/cbEaEb').digest('base64');
    expect(
      twilioSignature({
        authToken: 'tok',
        url: 'https://a.example/cb',
        params: { E: ['b', 'a', 'b'] },
      }),
    ).toBe(expected);
    const form = new URLSearchParams([
      ['E', 'b'],
      ['E', 'a'],
    ]);
    expect(twilioSignature({ authToken: 'tok', url: 'https://a.example/cb', params: form })).toBe(
      expected,
    );
  });
});

describe('validateTwilioSignature', () => {
  const valid = { authToken, url, params, signature: DOCUMENTED };

  it('accepts a valid signature', () => {
    expect(validateTwilioSignature(valid)).toBe(true);
  });

  it('accepts the same parameters in any order, as an object or a URLSearchParams', () => {
    const reordered = Object.fromEntries(Object.entries(params).reverse());
    expect(validateTwilioSignature({ ...valid, params: reordered })).toBe(true);
    expect(validateTwilioSignature({ ...valid, params: new URLSearchParams(params) })).toBe(true);
  });

  it('rejects a flipped parameter value', () => {
    expect(validateTwilioSignature({ ...valid, params: { ...params, Digits: '1235' } })).toBe(
      false,
    );
  });

  it('rejects an extra or a missing parameter', () => {
    expect(validateTwilioSignature({ ...valid, params: { ...params, Extra: '' } })).toBe(false);
    const { Digits: _, ...fewer } = params;
    expect(validateTwilioSignature({ ...valid, params: fewer })).toBe(false);
  });

  it('rejects a value moved to another parameter (names and values are both signed)', () => {
    expect(
      validateTwilioSignature({
        ...valid,
        params: { ...params, Caller: params.To, To: params.Caller },
      }),
    ).toBe(false);
  });

  it('rejects a wrong host, path, scheme or query', () => {
    for (const other of [
      'https://evil.example/myapp.php?foo=1&bar=2',
      'https://mycompany.com/other.php?foo=1&bar=2',
      'http://mycompany.com/myapp.php?foo=1&bar=2',
      'https://mycompany.com/myapp.php?foo=1&bar=3',
      'https://mycompany.com/myapp.php',
    ]) {
      expect(validateTwilioSignature({ ...valid, url: other })).toBe(false);
    }
  });

  it('accepts a signature made with or without the default port', () => {
    const withPort = twilioSignature({
      authToken,
      url: 'https://mycompany.com:443/myapp.php?foo=1&bar=2',
      params,
    });
    expect(validateTwilioSignature({ ...valid, signature: withPort })).toBe(true);
    expect(
      validateTwilioSignature({ ...valid, url: 'https://mycompany.com:443/myapp.php?foo=1&bar=2' }),
    ).toBe(true);
    const http = 'http://mycompany.com/cb';
    const http80 = twilioSignature({ authToken, url: 'http://mycompany.com:80/cb', params });
    expect(validateTwilioSignature({ authToken, url: http, params, signature: http80 })).toBe(true);
  });

  it('does not accept a different port', () => {
    const other = twilioSignature({
      authToken,
      url: 'https://mycompany.com:8443/myapp.php?foo=1&bar=2',
      params,
    });
    expect(validateTwilioSignature({ ...valid, signature: other })).toBe(false);
  });

  it('answers false for a missing, empty, repeated or garbage header', () => {
    expect(validateTwilioSignature({ ...valid, signature: undefined })).toBe(false);
    expect(validateTwilioSignature({ ...valid, signature: '' })).toBe(false);
    expect(validateTwilioSignature({ ...valid, signature: [DOCUMENTED, DOCUMENTED] })).toBe(false);
    expect(validateTwilioSignature({ ...valid, signature: 'not base64 at all \u0000' })).toBe(
      false,
    );
  });

  it('answers false when a parameter is not a string (a nested body cannot have been signed)', () => {
    expect(validateTwilioSignature({ ...valid, params: { ...params, Digits: { $ne: 1 } } })).toBe(
      false,
    );
  });

  it('fails closed without an auth token', () => {
    expect(() => validateTwilioSignature({ ...valid, authToken: '' })).toThrow(TypeError);
  });
});

describe('urlVariants', () => {
  it('adds the default port when absent and removes any port when present', () => {
    expect(urlVariants('https://a.example/cb?x=1')).toEqual([
      'https://a.example:443/cb?x=1',
      'https://a.example/cb?x=1',
    ]);
    expect(urlVariants('http://u:p@a.example:8080/cb')).toEqual([
      'http://u:p@a.example:8080/cb',
      'http://u:p@a.example/cb',
    ]);
    expect(urlVariants('https://[::1]:443/cb')).toEqual([
      'https://[::1]:443/cb',
      'https://[::1]/cb',
    ]);
  });

  it('leaves what it cannot parse alone', () => {
    expect(urlVariants('/relative/path')).toEqual(['/relative/path']);
  });
});
