// A step-up at the IdP counts only if what comes back is what was asked: the IdP may ignore
// acr_values and max_age, so the acr and auth_time are checked on return (RFC 9470 §3, §4 cases 39–40).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRefused, idpConfig, REDIRECT_URI, testSso } from './fixtures/sso.js';
import { MFA_LOGIN, PASSWORD_LOGIN, startTestIdp, type TestIdp } from './testing/index.js';

const MFA = { acrValues: ['urn:test:mfa'], maxAge: 300 };

let mfaIdp: TestIdp;
let basicIdp: TestIdp;

beforeAll(async () => {
  [mfaIdp, basicIdp] = await Promise.all([
    startTestIdp({ login: MFA_LOGIN, redirectUris: [REDIRECT_URI] }),
    startTestIdp({ login: PASSWORD_LOGIN, claimsParameter: false, redirectUris: [REDIRECT_URI] }),
  ]);
});

afterAll(async () => {
  await Promise.all([mfaIdp.close(), basicIdp.close()]);
});

describe('the request', () => {
  it('sends acr_values, max_age and an essential acr claim to an IdP that takes claims', async () => {
    const { sso } = testSso({ acme: idpConfig(mfaIdp) });
    const { url } = await sso.start({
      tenantId: 'acme',
      stepUp: { acrValues: ['a', 'b'], maxAge: 0 },
    });
    expect(url.searchParams.get('acr_values')).toBe('a b');
    expect(url.searchParams.get('max_age')).toBe('0');
    expect(JSON.parse(url.searchParams.get('claims') ?? '')).toEqual({
      id_token: {
        auth_time: { essential: true },
        amr: null,
        acr: { essential: true, values: ['a', 'b'] },
      },
    });
  });

  it('sends acr_values and max_age alone to an IdP that does not take claims', async () => {
    const { sso } = testSso({ acme: idpConfig(basicIdp) });
    const { url } = await sso.start({ tenantId: 'acme', stepUp: MFA });
    expect(url.searchParams.get('acr_values')).toBe('urn:test:mfa');
    expect(url.searchParams.get('max_age')).toBe('300');
    expect(url.searchParams.has('claims')).toBe(false);
  });

  it('throws a TypeError for a malformed step-up', async () => {
    const { sso } = testSso({ acme: idpConfig(mfaIdp) });
    await expect(sso.start({ tenantId: 'acme', stepUp: { maxAge: -1 } })).rejects.toThrow(
      TypeError,
    );
    await expect(
      sso.start({ tenantId: 'acme', stepUp: { acrValues: ['two words'] } }),
    ).rejects.toThrow(TypeError);
  });
});

describe('what comes back', () => {
  it('accepts a fresh login at an acr asked for, as a factor of that acr and that time', async () => {
    const { sso } = testSso({ acme: idpConfig(mfaIdp) });
    const { url, transaction } = await sso.start({ tenantId: 'acme', stepUp: MFA });
    const currentUrl = await mfaIdp.loginThrough(url);
    const { factor, claims } = await sso.callback({ tenantId: 'acme', currentUrl, transaction });
    expect(claims.auth_time).toBeTypeOf('number');
    expect(factor).toMatchObject({
      method: 'sso',
      acr: 'urn:test:mfa',
      at: (claims.auth_time ?? 0) * 1000,
    });
  });

  it('refuses an acr weaker than asked when the IdP ignores the voluntary acr_values', async () => {
    const { sso } = testSso({ acme: idpConfig(basicIdp) });
    const { url, transaction } = await sso.start({ tenantId: 'acme', stepUp: MFA });
    const currentUrl = await basicIdp.loginThrough(url);
    await expectRefused(
      sso.callback({ tenantId: 'acme', currentUrl, transaction }),
      'oidc:acr_not_satisfied',
    );
  });

  it('refuses an ID token without acr when an acr was asked for', async () => {
    const { sso } = testSso({ acme: idpConfig(mfaIdp) });
    const { url, transaction } = await sso.start({ tenantId: 'acme', stepUp: MFA });
    const currentUrl = await mfaIdp.loginThrough(url, { idToken: { acr: undefined } });
    await expectRefused(
      sso.callback({ tenantId: 'acme', currentUrl, transaction }),
      'oidc:acr_not_satisfied',
    );
  });

  it('reports an IdP that cannot reach an essential acr as an IdP error', async () => {
    const { sso } = testSso({ acme: idpConfig(mfaIdp) });
    const { url, transaction } = await sso.start({ tenantId: 'acme', stepUp: MFA });
    const currentUrl = await mfaIdp.loginThrough(url, { login: PASSWORD_LOGIN });
    expect(currentUrl.searchParams.get('error')).toBe('unmet_authentication_requirements');
    await expectRefused(
      sso.callback({ tenantId: 'acme', currentUrl, transaction }),
      'oidc:idp_error',
    );
  });

  it('refuses a login older than max_age', async () => {
    const { sso } = testSso({ acme: idpConfig(mfaIdp) });
    const { url, transaction } = await sso.start({ tenantId: 'acme', stepUp: MFA });
    const currentUrl = await mfaIdp.loginThrough(url, { login: { authAgeSeconds: 600 } });
    await expectRefused(
      sso.callback({ tenantId: 'acme', currentUrl, transaction }),
      'oidc:auth_time_stale',
    );
  });

  it('refuses an ID token without auth_time when max_age was sent', async () => {
    const { sso } = testSso({ acme: idpConfig(mfaIdp) });
    const { url, transaction } = await sso.start({ tenantId: 'acme', stepUp: { maxAge: 300 } });
    const currentUrl = await mfaIdp.loginThrough(url, { idToken: { auth_time: undefined } });
    await expectRefused(
      sso.callback({ tenantId: 'acme', currentUrl, transaction }),
      'oidc:auth_time_missing',
    );
  });
});
