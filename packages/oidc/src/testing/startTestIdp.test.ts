import { describe, expect, it } from 'vitest';
import { idpConfig, REDIRECT_URI, testSso } from '../fixtures/sso.js';
import { CookieJar } from './CookieJar.js';
import { startTestIdp } from './startTestIdp.js';
import { MFA_LOGIN } from './TestLogin.js';

describe('startTestIdp', () => {
  it('serves discovery on 127.0.0.1 and stops cleanly', async () => {
    const idp = await startTestIdp();
    expect(idp.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const metadata = (await (
      await fetch(`${idp.issuer}/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>;
    expect(metadata).toMatchObject({
      issuer: idp.issuer,
      claims_parameter_supported: true,
      authorization_response_iss_parameter_supported: true,
    });
    await idp.close();
    await expect(fetch(`${idp.issuer}/.well-known/openid-configuration`)).rejects.toThrow();
  });

  it('keeps the IdP session in the jar: a second login reuses it until max_age asks again', async () => {
    const idp = await startTestIdp({ login: MFA_LOGIN, redirectUris: [REDIRECT_URI] });
    try {
      const { sso } = testSso({ acme: idpConfig(idp) });
      const jar = new CookieJar();
      const login = async (options: { maxAge?: number; authAgeSeconds?: number }) => {
        const { maxAge, authAgeSeconds = 0 } = options;
        const { url, transaction } = await sso.start({
          tenantId: 'acme',
          ...(maxAge === undefined ? {} : { stepUp: { maxAge } }),
        });
        const currentUrl = await idp.loginThrough(url, { jar, login: { authAgeSeconds } });
        return (await sso.callback({ tenantId: 'acme', currentUrl, transaction })).claims.auth_time;
      };
      const first = await login({ authAgeSeconds: 600 });
      // No interaction this time: the session's login (ten minutes old) is what the IdP reports.
      expect(await login({ authAgeSeconds: 0 })).toBe(first);
      // max_age 300 is older than that login: the IdP signs the user in again.
      expect(await login({ maxAge: 300 })).toBeGreaterThan(first ?? Number.POSITIVE_INFINITY);
    } finally {
      await idp.close();
    }
  });

  it('refuses to start without a redirect URI', async () => {
    await expect(startTestIdp({ redirectUris: [] })).rejects.toThrow(TypeError);
  });
});
