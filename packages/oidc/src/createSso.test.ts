import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSso } from './createSso.js';
import { expectRefused, idpConfig, REDIRECT_URI, testSso } from './fixtures/sso.js';
import { MFA_LOGIN, PASSWORD_LOGIN, startTestIdp, type TestIdp } from './testing/index.js';

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

describe('start', () => {
  it('sends the browser to the IdP with PKCE S256, state, nonce and the openid scope', async () => {
    const { sso } = testSso({ acme: idpConfig(mfaIdp, { scope: 'email' }) });
    const { url, transaction } = await sso.start({ tenantId: 'acme' });

    expect(url.origin).toBe(mfaIdp.issuer);
    const params = Object.fromEntries(url.searchParams);
    expect(params).toMatchObject({
      response_type: 'code',
      client_id: mfaIdp.clientId,
      redirect_uri: REDIRECT_URI,
      scope: 'openid email',
      code_challenge_method: 'S256',
    });
    expect(params['code_challenge']).toMatch(/^[\w-]{43}$/);
    expect(params['state']).toMatch(/^[\w-]{43}$/);
    expect(params['nonce']).toMatch(/^[\w-]{43}$/);
    expect(params).not.toHaveProperty('acr_values');
    expect(params).not.toHaveProperty('max_age');
    // The IdP takes the claims parameter: ask for auth_time, amr and (voluntarily) acr.
    expect(JSON.parse(params['claims'] ?? '')).toEqual({
      id_token: { auth_time: { essential: true }, amr: null, acr: null },
    });
    // The secrets stay server-side: the browser keeps an opaque id only.
    expect(transaction).toMatch(/^[\w-]{43}$/);
    expect(url.href).not.toContain(transaction);
  });

  it('sends no claims parameter to an IdP that does not take it', async () => {
    const { sso } = testSso({ acme: idpConfig(basicIdp) });
    const { url } = await sso.start({ tenantId: 'acme' });
    expect(url.searchParams.has('claims')).toBe(false);
  });

  it('refuses a tenant without SSO and a returnTo that leaves the app', async () => {
    const { sso } = testSso({ acme: idpConfig(mfaIdp) });
    for (const tenantId of ['globex', '__proto__', 'constructor']) {
      await expect(sso.start({ tenantId })).rejects.toMatchObject({ code: 'invalid_request' });
    }
    for (const returnTo of [
      'https://evil.example/',
      '//evil.example',
      '/\\evil.example',
      '/\t/evil.example',
      '/a\\b',
      '/a b',
      'x',
      // Dot segments resolve away and leave '//evil.example': a path to another host.
      '/.//evil.example',
      '/..//evil.example',
      '/a/..//evil.example',
      '/%2e//evil.example',
      '/%2E%2E//evil.example',
      '/a/%2e%2e//evil.example',
      '/./\\evil.example',
      '/.\t//evil.example',
      '/.\n//evil.example',
    ]) {
      await expect(sso.start({ tenantId: 'acme', returnTo }), returnTo).rejects.toMatchObject({
        code: 'invalid_request',
      });
    }
  });

  it('refuses an issuer configured other than the IdP spells it', async () => {
    const { sso } = testSso({ acme: idpConfig(mfaIdp, { issuer: `${mfaIdp.issuer}/` }) });
    await expectRefused(sso.start({ tenantId: 'acme' }), 'oidc:idp_unavailable');
  });

  it('refuses an http:// IdP unless allowInsecureRequests is set', async () => {
    const sso = createSso({ idps: { acme: idpConfig(mfaIdp) }, redirectUri: REDIRECT_URI });
    await expectRefused(sso.start({ tenantId: 'acme' }), 'oidc:idp_unavailable');
  });
});

describe('callback', () => {
  it('returns the issuer-namespaced subject and an sso factor with auth_time, acr and amr', async () => {
    const { sso, clock } = testSso({ acme: idpConfig(mfaIdp) });
    const { url, transaction } = await sso.start({ tenantId: 'acme', returnTo: '/billing' });
    const before = Date.now();
    const currentUrl = await mfaIdp.loginThrough(url);
    const result = await sso.callback({ tenantId: 'acme', currentUrl, transaction });

    expect(result.subject).toEqual({
      issuer: mfaIdp.issuer,
      sub: 'alice',
      key: `${mfaIdp.issuer}#alice`,
    });
    expect(result.returnTo).toBe('/billing');
    expect(result.claims).toMatchObject({ iss: mfaIdp.issuer, aud: mfaIdp.clientId });
    expect(result.idToken.split('.')).toHaveLength(3);
    expect(result.factor).toMatchObject({
      method: 'sso',
      source: mfaIdp.issuer,
      acr: 'urn:test:mfa',
      amr: ['pwd', 'otp'],
      aal: 1,
    });
    // auth_time is whole seconds: the factor's time is that second.
    expect(result.factor.at).toBe((result.claims.auth_time ?? 0) * 1000);
    expect(result.factor.at).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(result.factor.at).toBeLessThanOrEqual(Date.now() + clock.offset);
  });

  it('takes the callback path as req.originalUrl, relative to the redirect URI', async () => {
    const { sso } = testSso({ acme: idpConfig(mfaIdp) });
    const { url, transaction } = await sso.start({ tenantId: 'acme' });
    const callbackUrl = await mfaIdp.loginThrough(url);
    const currentUrl = `${callbackUrl.pathname}${callbackUrl.search}`;
    const result = await sso.callback({ tenantId: 'acme', currentUrl, transaction });
    expect(result.subject.sub).toBe('alice');
  });

  it('treats a login without acr, amr and auth_time as the weakest: no acr, no amr, never fresh', async () => {
    const { sso } = testSso({ acme: idpConfig(basicIdp) });
    const { url, transaction } = await sso.start({ tenantId: 'acme' });
    const currentUrl = await basicIdp.loginThrough(url);
    const { factor, claims } = await sso.callback({ tenantId: 'acme', currentUrl, transaction });

    expect(claims).not.toHaveProperty('auth_time');
    expect(factor).toEqual({ method: 'sso', source: basicIdp.issuer, amr: [], aal: 1, at: 0 });
  });

  it('refuses input that is not a callback with invalid_request', async () => {
    const { sso } = testSso({ acme: idpConfig(mfaIdp) });
    const { transaction } = await sso.start({ tenantId: 'acme' });
    await expect(
      sso.callback({ tenantId: 'acme', currentUrl: 'http://[::1', transaction }),
    ).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(
      sso.callback({ tenantId: '', currentUrl: REDIRECT_URI, transaction }),
    ).rejects.toMatchObject({ code: 'invalid_request' });
  });
});

describe('createSso', () => {
  it('throws a TypeError that says what to pass', () => {
    expect(() => createSso({ idps: { acme: idpConfig(mfaIdp) }, redirectUri: '/cb' })).toThrow(
      /redirectUri/,
    );
    expect(() => createSso({ idps: undefined as never, redirectUri: REDIRECT_URI })).toThrow(
      TypeError,
    );
  });

  it('refuses an IdpConfig without clientId when it is used', async () => {
    const { sso } = testSso({ acme: { issuer: mfaIdp.issuer } as never });
    await expect(sso.start({ tenantId: 'acme' })).rejects.toThrow(/clientId/);
  });
});
