// A forged, replayed, injected or mixed-up callback must never sign anyone in (SECURITY-NOTES §4 case 42).
import { MemoryStore } from '@checkpoint/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRefused, idpConfig, REDIRECT_URI, testSso } from './fixtures/sso.js';
import { MFA_LOGIN, startTestIdp, type TestIdp } from './testing/index.js';

let idp: TestIdp;
let otherIdp: TestIdp;
let shortIdp: TestIdp;

beforeAll(async () => {
  [idp, otherIdp, shortIdp] = await Promise.all([
    startTestIdp({ login: MFA_LOGIN, redirectUris: [REDIRECT_URI] }),
    startTestIdp({ login: MFA_LOGIN, redirectUris: [REDIRECT_URI] }),
    startTestIdp({ login: MFA_LOGIN, redirectUris: [REDIRECT_URI], idTokenTtlSeconds: 60 }),
  ]);
});

afterAll(async () => {
  await Promise.all([idp.close(), otherIdp.close(), shortIdp.close()]);
});

describe('state, nonce and the transaction', () => {
  it('refuses the callback of an earlier login once the session holds a newer one', async () => {
    const { sso } = testSso({ acme: idpConfig(idp) });
    const first = await sso.start({ tenantId: 'acme' });
    const second = await sso.start({ tenantId: 'acme' });
    const currentUrl = await idp.loginThrough(first.url);
    await expectRefused(
      sso.callback({ tenantId: 'acme', currentUrl, transaction: second.transaction }),
      'oidc:state_mismatch',
    );
  });

  it('refuses a response without state', async () => {
    const { sso } = testSso({ acme: idpConfig(idp) });
    const { url, transaction } = await sso.start({ tenantId: 'acme' });
    const currentUrl = await idp.loginThrough(url);
    currentUrl.searchParams.delete('state');
    await expectRefused(
      sso.callback({ tenantId: 'acme', currentUrl, transaction }),
      'oidc:state_mismatch',
    );
  });

  it('refuses an ID token whose nonce is not the transaction’s, or that has none', async () => {
    const { sso } = testSso({ acme: idpConfig(idp) });
    for (const nonce of ['injected', undefined]) {
      const { url, transaction } = await sso.start({ tenantId: 'acme' });
      const currentUrl = await idp.loginThrough(url, { idToken: { nonce } });
      await expectRefused(
        sso.callback({ tenantId: 'acme', currentUrl, transaction }),
        'oidc:nonce_mismatch',
      );
    }
  });

  it('completes a callback once: the same callback again is refused', async () => {
    const { sso } = testSso({ acme: idpConfig(idp) });
    const { url, transaction } = await sso.start({ tenantId: 'acme' });
    const currentUrl = await idp.loginThrough(url);
    await sso.callback({ tenantId: 'acme', currentUrl, transaction });
    await expectRefused(
      sso.callback({ tenantId: 'acme', currentUrl, transaction }),
      'oidc:transaction_unknown',
    );
  });

  it('lets exactly one of two concurrent callbacks with the same transaction through', async () => {
    const { sso } = testSso({ acme: idpConfig(idp) });
    const { url, transaction } = await sso.start({ tenantId: 'acme' });
    const currentUrl = await idp.loginThrough(url);
    const outcomes = await Promise.allSettled([
      sso.callback({ tenantId: 'acme', currentUrl, transaction }),
      sso.callback({ tenantId: 'acme', currentUrl, transaction }),
    ]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
  });

  it('refuses a used code even when its transaction is put back', async () => {
    const store = new MemoryStore();
    const { sso } = testSso({ acme: idpConfig(idp) }, { store });
    const { url, transaction } = await sso.start({ tenantId: 'acme' });
    const key = `oidc:tx:${transaction}`;
    const value = await store.takeTicket(key, Date.now());
    if (value === null) throw new Error('the transaction was not stored under its id');
    const restore = () => store.putTicket({ key, value, ttlSeconds: 600, now: Date.now() });
    await restore();
    const currentUrl = await idp.loginThrough(url);
    await sso.callback({ tenantId: 'acme', currentUrl, transaction });
    await restore();
    await expectRefused(
      sso.callback({ tenantId: 'acme', currentUrl, transaction }),
      'oidc:token_request_failed',
    );
  });

  it('refuses a code injected into another login (PKCE binds the code to its verifier)', async () => {
    const { sso } = testSso({ acme: idpConfig(idp) });
    const attackers = await sso.start({ tenantId: 'acme' });
    const victims = await sso.start({ tenantId: 'acme' });
    const attackerCallback = await idp.loginThrough(attackers.url, {
      login: { accountId: 'mallory' },
    });
    // Even knowing the victim's state, the attacker's code does not redeem under the victim's verifier.
    attackerCallback.searchParams.set('state', victims.url.searchParams.get('state') ?? '');
    await expectRefused(
      sso.callback({
        tenantId: 'acme',
        currentUrl: attackerCallback,
        transaction: victims.transaction,
      }),
      'oidc:token_request_failed',
    );
  });

  it('refuses a callback without a transaction (the session lost it) or an unknown one', async () => {
    const { sso } = testSso({ acme: idpConfig(idp) });
    const { url } = await sso.start({ tenantId: 'acme' });
    const currentUrl = await idp.loginThrough(url);
    for (const transaction of [undefined, 'x'.repeat(43), 'not an id']) {
      await expectRefused(
        sso.callback({ tenantId: 'acme', currentUrl, transaction }),
        'oidc:transaction_unknown',
      );
    }
  });

  it('refuses a transaction after its time is up', async () => {
    const { sso, clock } = testSso({ acme: idpConfig(idp) });
    const { url, transaction } = await sso.start({ tenantId: 'acme' });
    const currentUrl = await idp.loginThrough(url);
    clock.offset = 601_000;
    await expectRefused(
      sso.callback({ tenantId: 'acme', currentUrl, transaction }),
      'oidc:transaction_unknown',
    );
  });

  it('refuses a transaction started for another tenant', async () => {
    const { sso } = testSso({ acme: idpConfig(idp), globex: idpConfig(idp) });
    const { url, transaction } = await sso.start({ tenantId: 'acme' });
    const currentUrl = await idp.loginThrough(url);
    await expectRefused(
      sso.callback({ tenantId: 'globex', currentUrl, transaction }),
      'oidc:tenant_mismatch',
    );
  });

  it('refuses an error response of the IdP', async () => {
    const { sso } = testSso({ acme: idpConfig(idp) });
    const { url, transaction } = await sso.start({ tenantId: 'acme' });
    const currentUrl = await idp.loginThrough(url, { login: { error: 'access_denied' } });
    expect(currentUrl.searchParams.get('error')).toBe('access_denied');
    const refusal = await expectRefused(
      sso.callback({ tenantId: 'acme', currentUrl, transaction }),
      'oidc:idp_error',
    );
    expect(refusal.message).toContain('access_denied');
  });
});

describe('issuer and audience', () => {
  it('refuses another IdP’s response to a login started at the tenant’s IdP (mix-up)', async () => {
    const { sso } = testSso({ acme: idpConfig(idp) });
    const { url, transaction } = await sso.start({ tenantId: 'acme' });
    // The browser is steered to the other IdP with the very same request (state, nonce, PKCE).
    const mixedUp = new URL(`${url.pathname}${url.search}`, otherIdp.issuer);
    const currentUrl = await otherIdp.loginThrough(mixedUp);
    expect(currentUrl.searchParams.get('iss')).toBe(otherIdp.issuer);
    await expectRefused(
      sso.callback({ tenantId: 'acme', currentUrl, transaction }),
      'oidc:issuer_mismatch',
    );
  });

  it('refuses that response with its iss parameter removed', async () => {
    const { sso } = testSso({ acme: idpConfig(idp) });
    const { url, transaction } = await sso.start({ tenantId: 'acme' });
    const currentUrl = await otherIdp.loginThrough(
      new URL(`${url.pathname}${url.search}`, otherIdp.issuer),
    );
    currentUrl.searchParams.delete('iss');
    await expectRefused(
      sso.callback({ tenantId: 'acme', currentUrl, transaction }),
      'oidc:issuer_mismatch',
    );
  });

  it('refuses an ID token naming another issuer', async () => {
    const { sso } = testSso({ acme: idpConfig(idp) });
    const { url, transaction } = await sso.start({ tenantId: 'acme' });
    const currentUrl = await idp.loginThrough(url, { idToken: { iss: otherIdp.issuer } });
    await expectRefused(
      sso.callback({ tenantId: 'acme', currentUrl, transaction }),
      'oidc:issuer_mismatch',
    );
  });

  it('refuses an ID token issued to another client', async () => {
    const { sso } = testSso({ acme: idpConfig(idp) });
    for (const aud of ['someone-else', ['someone-else']]) {
      const { url, transaction } = await sso.start({ tenantId: 'acme' });
      const currentUrl = await idp.loginThrough(url, { idToken: { aud } });
      await expectRefused(
        sso.callback({ tenantId: 'acme', currentUrl, transaction }),
        'oidc:audience_mismatch',
      );
    }
  });

  it('refuses an ID token that has expired by the time the callback arrives', async () => {
    const { sso, clock } = testSso({ acme: idpConfig(shortIdp) });
    const { url, transaction } = await sso.start({ tenantId: 'acme' });
    const currentUrl = await shortIdp.loginThrough(url);
    // The IdP issues 60 s ID tokens; openid-client allows 30 s of skew; five minutes is past both.
    clock.offset = 5 * 60_000;
    await expectRefused(
      sso.callback({ tenantId: 'acme', currentUrl, transaction }),
      'oidc:id_token_expired',
    );
  });
});
