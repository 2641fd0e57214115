// Two IdPs issuing the same sub are two people: users are keyed by issuer and sub (ASVS V6.8.1).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idpConfig, REDIRECT_URI, testSso } from './fixtures/sso.js';
import { ssoUserKey } from './ssoUserKey.js';
import { MFA_LOGIN, startTestIdp, type TestIdp } from './testing/index.js';

let first: TestIdp;
let second: TestIdp;

beforeAll(async () => {
  [first, second] = await Promise.all([
    startTestIdp({ login: MFA_LOGIN, redirectUris: [REDIRECT_URI] }),
    startTestIdp({ login: MFA_LOGIN, redirectUris: [REDIRECT_URI] }),
  ]);
});

afterAll(async () => {
  await Promise.all([first.close(), second.close()]);
});

describe('ssoUserKey', () => {
  it('maps the same sub from two IdPs to two different users', async () => {
    const { sso } = testSso({ acme: idpConfig(first), globex: idpConfig(second) });
    const subjects = [];
    for (const [tenantId, idp] of [
      ['acme', first],
      ['globex', second],
    ] as const) {
      const { url, transaction } = await sso.start({ tenantId });
      const currentUrl = await idp.loginThrough(url, { login: { accountId: 'alice' } });
      subjects.push((await sso.callback({ tenantId, currentUrl, transaction })).subject);
    }
    const [a, b] = subjects;
    expect(a?.sub).toBe('alice');
    expect(b?.sub).toBe('alice');
    expect(a?.key).not.toBe(b?.key);
    expect(a?.key).toBe(ssoUserKey(first.issuer, 'alice'));
  });

  it('splits back at its first # into issuer and sub, since an issuer has no fragment', () => {
    const key = ssoUserKey('https://idp.example/tenant', 'a#b');
    expect([key.slice(0, key.indexOf('#')), key.slice(key.indexOf('#') + 1)]).toEqual([
      'https://idp.example/tenant',
      'a#b',
    ]);
    expect(() => ssoUserKey('https://idp.example#a', 'b')).toThrow(TypeError);
    expect(() => ssoUserKey('https://idp.example', '')).toThrow(TypeError);
  });
});
