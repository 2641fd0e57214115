// The README's example, run. The region below is copied verbatim into README.md; the last test
// fails when the two drift apart.
import { readFileSync } from 'node:fs';
import { type AuthState, addFactor, evaluate, type TenantPolicy } from '@checkpoint/policy';
import { describe, expect, it } from 'vitest';
import { createSso } from './index.js';
import { MFA_LOGIN, startTestIdp } from './testing/index.js';

// #region readme
// The tenant acme's IdP: here panva's oidc-provider on loopback, with MFA logins.
const idp = await startTestIdp({ login: MFA_LOGIN });

const sso = createSso({
  idps: { acme: { issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret } },
  redirectUri: idp.redirectUri, // in production: https://app.example/sso/callback
  allowInsecureRequests: true, // the test IdP speaks http://; never in production
});

// GET /sso/login: keep the transaction id in the session, send the browser to the IdP.
const { url, transaction } = await sso.start({ tenantId: 'acme', returnTo: '/billing' });

// The user signs in at the IdP, which sends the browser back to redirectUri (driven here).
const currentUrl = await idp.loginThrough(url);

// GET /sso/callback: the transaction is used up, whatever the outcome.
const { subject, factor, returnTo } = await sso.callback({
  tenantId: 'acme',
  currentUrl,
  transaction,
});
// subject.key === `${idp.issuer}#alice`: find the user by it, never by sub alone.
// factor: { method: 'sso', source: idp.issuer, acr: 'urn:test:mfa', amr: ['pwd', 'otp'], … }

// acme trusts this IdP's MFA: its login satisfies AAL2 checkpoints ("bring your own MFA").
const tenant: TenantPolicy = {
  id: 'acme',
  trustIdpMfa: true,
  trustedIdps: [{ issuer: idp.issuer, acr: { 'urn:test:mfa': 2 } }],
};
const state: AuthState = addFactor({ userId: subject.key, tenantId: 'acme', factors: [] }, factor);
const billing = evaluate('billing_change', state, tenant, Date.now());
// { satisfied: true, checkpoint: 'billing_change', aal: 2, nonNist: false }

await idp.close();
// #endregion readme

describe('the README example', () => {
  it('signs alice in with an issuer-namespaced key and the page to return to', () => {
    expect(subject).toEqual({ issuer: idp.issuer, sub: 'alice', key: `${idp.issuer}#alice` });
    expect(returnTo).toBe('/billing');
  });

  it('turns the IdP login into an sso factor that satisfies billing_change for acme', () => {
    expect(factor).toMatchObject({ method: 'sso', source: idp.issuer, acr: 'urn:test:mfa' });
    expect(billing).toEqual({
      satisfied: true,
      checkpoint: 'billing_change',
      aal: 2,
      nonNist: false,
    });
  });

  it('is the code shown in README.md', () => {
    const source = readFileSync(new URL('./readme.test.ts', import.meta.url), 'utf8');
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const region = /\/\/ #region readme\n([\s\S]*?)\/\/ #endregion readme/.exec(source)?.[1];
    expect(region).toBeDefined();
    expect(readme).toContain(region?.trim());
  });
});
