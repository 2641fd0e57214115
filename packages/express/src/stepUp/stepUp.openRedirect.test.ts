// Threat: a returnTo whose dot segments resolve to '//host' sends a stepped-up user off the app.
import { createCheckpoint, MemoryStore, outboxChannel } from '@checkpoint/core';
import { createSso } from '@checkpoint/oidc';
import { MFA_LOGIN, startTestIdp, type TestIdp } from '@checkpoint/oidc/testing';
import { factor, type TenantPolicy } from '@checkpoint/policy';
import express from 'express';
import session from 'express-session';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStepUp } from './createStepUp.js';
import { recordFactor } from './recordFactor.js';

const CALLBACK = 'http://localhost:3000/auth/step-up/sso/callback';
const PHONE = '+14155550100';
const ESCAPES = [
  '/.//evil.example',
  '/..//evil.example',
  '/a/..//evil.example',
  '/%2e//evil.example',
  '/%2E%2E//evil.example',
  '/a/%2e%2e//evil.example',
];
let idp: TestIdp;

beforeAll(async () => {
  idp = await startTestIdp({ login: MFA_LOGIN, redirectUris: [CALLBACK] });
});

afterAll(async () => {
  await idp?.close();
});

const body = (response: request.Response): Record<string, unknown> =>
  response.body as Record<string, unknown>;

/** An app with express-session and createStepUp (OTP and SSO), and a signed-in agent. */
async function signedIn(login: 'password' | 'sso') {
  const tenant: TenantPolicy = {
    id: 'acme',
    trustIdpMfa: true,
    trustedIdps: [{ issuer: idp.issuer, acr: { 'urn:test:mfa': 2 } }],
  };
  const store = new MemoryStore();
  const sms = outboxChannel({ name: 'sms' });
  const stepUp = createStepUp({
    checkpoint: createCheckpoint({
      secret: 'open-redirect-secret-0123456789abcdefghij',
      channels: [sms],
      store,
    }),
    destination: () => PHONE,
    tenantPolicy: () => tenant,
    sso: createSso({
      idps: {
        acme: { issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret },
      },
      redirectUri: CALLBACK,
      store,
      allowInsecureRequests: true, // the test IdP speaks http://
    }),
  });
  const app = express();
  app.use(express.json());
  app.use(session({ secret: 'open-redirect', resave: false, saveUninitialized: false }));
  app.post('/login', (req, res, next) => {
    // An IdP login 10 minutes ago is too old for billing_change: the SSO step-up is offered.
    const at = login === 'sso' ? Date.now() - 600_000 : Date.now();
    const proved =
      login === 'sso'
        ? factor('sso', { at, source: idp.issuer, acr: 'urn:test:mfa' })
        : factor('pwd', { at });
    recordFactor(req, proved, { userId: `${idp.issuer}#alice`, tenantId: 'acme', tenant, now: at })
      .then(() => res.json({ ok: true }))
      .catch(next);
  });
  app.use('/auth/step-up', stepUp.router);
  const agent = request.agent(app);
  await agent.post('/login').send({}).expect(200);
  return { agent, sms };
}

describe('returnTo after a step-up stays on the app', () => {
  it.each(ESCAPES)('OTP verify answers returnTo "/" for %j', async (returnTo) => {
    const { agent, sms } = await signedIn('password');
    const started = await agent.post('/auth/step-up/billing_change/otp/start').send({});
    expect(started.status).toBe(202);
    const verified = await agent
      .post('/auth/step-up/billing_change/otp/verify')
      .send({ id: String(body(started).id), code: sms.latest(PHONE)?.code ?? '', returnTo });
    expect(body(verified)).toMatchObject({ status: 'approved', satisfied: true, returnTo: '/' });
  });

  it('SSO step-up started with returnTo "/.//evil.example" redirects back to "/"', async () => {
    const { agent } = await signedIn('sso');
    const started = await agent
      .get(`/auth/step-up/billing_change/sso?returnTo=${encodeURIComponent('/.//evil.example')}`)
      .set('Accept', 'text/html');
    expect(started.status).toBe(303);
    const back = await idp.loginThrough(String(started.headers.location), { login: MFA_LOGIN });
    const done = await agent.get(`${back.pathname}${back.search}`).set('Accept', 'text/html');
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe('/');
    expect(new URL(String(done.headers.location), 'https://app.example').origin).toBe(
      'https://app.example',
    );
  });
});
