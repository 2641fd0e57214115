import { createCheckpoint, MemoryStore, outboxChannel } from '@checkpoint/core';
import { createSso } from '@checkpoint/oidc';
import { MFA_LOGIN, PASSWORD_LOGIN, startTestIdp, type TestIdp } from '@checkpoint/oidc/testing';
import {
  type FactorEvidence,
  factor,
  type TenantPolicy,
  type TrustedIdp,
} from '@checkpoint/policy';
import express from 'express';
import session from 'express-session';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStepUp } from './createStepUp.js';
import { recordFactor } from './recordFactor.js';
import type { StepUpOptions } from './StepUpOptions.js';

const CALLBACK = 'http://localhost:3000/auth/step-up/sso/callback';
let idp: TestIdp;
/** Reports MFA only through amr, in every ID token (as Okta, Auth0 and Entra v1.0 tokens do). */
let amrIdp: TestIdp;
/** Reports MFA only through authentication contexts (as Entra v2.0 tokens do). */
let contextIdp: TestIdp;

beforeAll(async () => {
  [idp, amrIdp, contextIdp] = await Promise.all([
    startTestIdp({ login: MFA_LOGIN, redirectUris: [CALLBACK] }),
    startTestIdp({
      login: { amr: ['pwd'] },
      claimsParameter: false,
      idTokenClaims: ['amr', 'auth_time'],
      redirectUris: [CALLBACK],
    }),
    startTestIdp({ login: {}, idTokenClaims: ['auth_time'], redirectUris: [CALLBACK] }),
  ]);
});

afterAll(async () => {
  await Promise.all([idp?.close(), amrIdp?.close(), contextIdp?.close()]);
});

const body = (response: request.Response): Record<string, unknown> =>
  response.body as Record<string, unknown>;

interface SetupOptions {
  ssoUserId?: StepUpOptions['ssoUserId'];
  /** The IdP and what acme trusts of it. @default the MFA IdP, trusted by acr */
  at?: TestIdp;
  trust?: Omit<TrustedIdp, 'issuer'>;
  /** What the IdP login the session holds said, besides its time. */
  held?: Pick<FactorEvidence, 'acr' | 'amr' | 'acrs'>;
  claimsParameter?: boolean;
}

function setup({
  ssoUserId,
  at = idp,
  // acme trusts its IdP's MFA acr for AAL2; its password acr is worth AAL1.
  trust = { acr: { 'urn:test:mfa': 2, 'urn:test:pwd': 1 } },
  held = { acr: 'urn:test:mfa' },
  claimsParameter,
}: SetupOptions = {}) {
  const tenant: TenantPolicy = {
    id: 'acme',
    trustIdpMfa: true,
    trustedIdps: [{ issuer: at.issuer, ...trust }],
  };
  const store = new MemoryStore();
  const sso = createSso({
    idps: {
      acme: {
        issuer: at.issuer,
        clientId: at.clientId,
        clientSecret: at.clientSecret,
        ...(claimsParameter === undefined ? {} : { claimsParameter }),
      },
    },
    redirectUri: CALLBACK,
    store,
    allowInsecureRequests: true, // the test IdP speaks http://
  });
  const stepUp = createStepUp({
    checkpoint: createCheckpoint({
      secret: 'sso-step-up-secret-0123456789abcdefghijk',
      channels: [outboxChannel({ name: 'sms' })],
      store,
    }),
    destination: () => '+14155550100',
    tenantPolicy: () => tenant,
    sso,
    ...(ssoUserId === undefined ? {} : { ssoUserId }),
  });
  const app = express();
  app.use(express.json());
  app.use(session({ secret: 'sso', resave: false, saveUninitialized: false }));
  // The session signed in through the IdP 10 minutes ago (as @checkpoint/passport's completeLogin
  // records it): an MFA login then, too old for a 5-minute checkpoint now.
  app.post('/login', (req, res, next) => {
    const then = Date.now() - 600_000;
    recordFactor(req, factor('sso', { at: then, source: at.issuer, ...held }), {
      userId: `${at.issuer}#alice`,
      tenantId: 'acme',
      tenant,
      now: then,
    })
      .then(() => res.json({ ok: true }))
      .catch(next);
  });
  app.post('/login/password', (req, res, next) => {
    recordFactor(req, factor('pwd', { at: Date.now() }), { userId: 'bob', tenant, now: Date.now() })
      .then(() => res.json({ ok: true }))
      .catch(next);
  });
  app.use('/auth/step-up', stepUp.router);
  app.post('/billing/card', stepUp.requireCheckpoint('billing_change'), (_req, res) => {
    res.json({ changed: true });
  });
  const payouts: string[] = [];
  app.post(
    '/payouts',
    stepUp.requireCheckpoint('billing_change', {
      bind: (req) => ({ iban: String((req.body as { iban?: unknown }).iban) }),
    }),
    (req, res) => {
      payouts.push(String((req.body as { iban?: unknown }).iban));
      res.json({ paid: true });
    },
  );
  return { app, payouts };
}

async function startStepUp(agent: ReturnType<typeof request.agent>) {
  const started = await agent
    .get('/auth/step-up/billing_change/sso?returnTo=/billing')
    .set('Accept', 'application/json');
  expect(started.status).toBe(200);
  return new URL(String(body(started).url));
}

const local = (url: URL) => `${url.pathname}${url.search}`;

describe('SSO step-up through the step-up router', () => {
  it('steps billing_change up at the IdP with acr_values and max_age, then lets the change through', async () => {
    const { app } = setup();
    const agent = request.agent(app);
    await agent.post('/login').send({}).expect(200);
    expect((await agent.post('/billing/card').send({})).status).toBe(401);

    const url = await startStepUp(agent);
    expect(url.origin).toBe(idp.issuer);
    expect(url.searchParams.get('acr_values')).toBe('urn:test:mfa');
    expect(url.searchParams.get('max_age')).toBe('300');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');

    const back = await idp.loginThrough(url, { login: MFA_LOGIN });
    const done = await agent.get(local(back)).set('Accept', 'application/json');
    expect(body(done)).toEqual({ status: 'approved', satisfied: true, returnTo: '/billing' });
    await agent.post('/billing/card').send({}).expect(200, { changed: true });
  });

  it('redirects a browser to the IdP and back to returnTo', async () => {
    const { app } = setup();
    const agent = request.agent(app);
    await agent.post('/login').send({});
    const started = await agent
      .get('/auth/step-up/billing_change/sso?returnTo=/billing')
      .set('Accept', 'text/html');
    expect(started.status).toBe(303);
    const back = await idp.loginThrough(String(started.headers.location), { login: MFA_LOGIN });
    const done = await agent.get(local(back)).set('Accept', 'text/html');
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe('/billing');
  });

  it('refuses an IdP login weaker than demanded, and leaves the checkpoint unmet', async () => {
    const { app } = setup();
    const agent = request.agent(app);
    await agent.post('/login').send({});
    const back = await idp.loginThrough(await startStepUp(agent), { login: PASSWORD_LOGIN });
    const done = await agent.get(local(back)).set('Accept', 'application/json');
    expect(done.status).toBe(401);
    expect(body(done)).toMatchObject({ error: 'authentication_failed' });
    expect((await agent.post('/billing/card').send({})).status).toBe(401);
  });

  it("refuses another user's IdP login, and a replayed callback", async () => {
    const { app } = setup();
    const agent = request.agent(app);
    await agent.post('/login').send({});
    const mallory = await idp.loginThrough(await startStepUp(agent), {
      login: { ...MFA_LOGIN, accountId: 'mallory' },
    });
    const refused = await agent.get(local(mallory)).set('Accept', 'application/json');
    expect(refused.status).toBe(401);
    expect(body(refused)).toMatchObject({ error: 'authentication_failed' });

    const back = await idp.loginThrough(await startStepUp(agent), { login: MFA_LOGIN });
    await agent.get(local(back)).set('Accept', 'application/json').expect(200);
    const replay = await agent.get(local(back)).set('Accept', 'application/json');
    expect(replay.status).toBe(401);
  });

  it("maps the IdP subject to the app's user with the request at hand (per-tenant mappings)", async () => {
    const asked: string[] = [];
    const { app } = setup({
      ssoUserId: (subject, req) => {
        asked.push(`${req.method} ${req.baseUrl}${req.path}`);
        return subject.key;
      },
    });
    const agent = request.agent(app);
    await agent.post('/login').send({});
    const back = await idp.loginThrough(await startStepUp(agent), { login: MFA_LOGIN });
    await agent.get(local(back)).set('Accept', 'application/json').expect(200);
    expect(asked).toEqual(['GET /auth/step-up/sso/callback']);
  });

  it('answers 404 when the session did not sign in through an IdP, or for an unknown checkpoint', async () => {
    const { app } = setup();
    const agent = request.agent(app);
    await agent.post('/login/password').send({});
    const noIdp = await agent
      .get('/auth/step-up/billing_change/sso')
      .set('Accept', 'application/json');
    expect(noIdp.status).toBe(404);
    expect(body(noIdp)).toMatchObject({ error: 'not_found' });
    const unknown = await agent
      .get('/auth/step-up/no_such_checkpoint/sso')
      .set('Accept', 'application/json');
    expect(unknown.status).toBe(404);
  });

  it('grants only the action pending when the IdP step-up started, not one swapped in before the callback', async () => {
    const { app, payouts } = setup();
    const agent = request.agent(app);
    await agent.post('/login').send({}).expect(200);
    await agent.post('/payouts').send({ iban: 'DE89370400440532013000' }).expect(401);
    const url = await startStepUp(agent);
    await agent.post('/payouts').send({ iban: 'GB33BUKB20201555555555' }).expect(401);
    const back = await idp.loginThrough(url, { login: MFA_LOGIN });
    const done = await agent.get(local(back)).set('Accept', 'application/json');
    expect(body(done)).toMatchObject({
      status: 'approved',
      satisfied: false,
      reason: 'action_changed',
    });
    await agent.post('/payouts').send({ iban: 'GB33BUKB20201555555555' }).expect(401);
    await agent.post('/payouts').send({ iban: 'DE89370400440532013000' }).expect(200);
    expect(payouts).toEqual(['DE89370400440532013000']);
  });
});

describe('SSO step-up at an IdP trusted by amr or by authentication context', () => {
  it('asks an amr-trusted IdP for a fresh login (prompt=login, max_age) and takes only an amr that meets a rule', async () => {
    const { app } = setup({
      at: amrIdp,
      trust: { amr: [{ allOf: ['mfa'], aal: 2 }] },
      held: { amr: ['pwd', 'mfa'] },
    });
    const agent = request.agent(app);
    await agent.post('/login').send({}).expect(200);
    expect((await agent.post('/billing/card').send({})).status).toBe(401);

    const weak = await startStepUp(agent);
    expect(weak.origin).toBe(amrIdp.issuer);
    expect(weak.searchParams.get('prompt')).toBe('login');
    expect(weak.searchParams.get('max_age')).toBe('300');
    expect(weak.searchParams.has('acr_values')).toBe(false);
    const refused = await agent
      .get(local(await amrIdp.loginThrough(weak, { login: { amr: ['pwd'] } })))
      .set('Accept', 'application/json');
    expect(refused.status).toBe(401);
    expect(body(refused)).toMatchObject({ error: 'authentication_failed' });
    expect((await agent.post('/billing/card').send({})).status).toBe(401);

    const back = await amrIdp.loginThrough(await startStepUp(agent), {
      login: { amr: ['pwd', 'mfa', 'otp'] },
    });
    const done = await agent.get(local(back)).set('Accept', 'application/json');
    expect(body(done)).toEqual({ status: 'approved', satisfied: true, returnTo: '/billing' });
    await agent.post('/billing/card').send({}).expect(200, { changed: true });
  });

  it('asks a context-trusted IdP for an essential acrs value and counts the context met', async () => {
    const { app } = setup({
      at: contextIdp,
      trust: { acrs: { c1: 2 } },
      held: { acrs: ['c1'] },
      claimsParameter: true,
    });
    const agent = request.agent(app);
    await agent.post('/login').send({}).expect(200);
    const url = await startStepUp(agent);
    expect(url.searchParams.get('prompt')).toBe('login');
    expect(JSON.parse(url.searchParams.get('claims') ?? '')).toMatchObject({
      id_token: { acrs: { essential: true, value: 'c1' } },
    });

    const back = await contextIdp.loginThrough(url, { login: { acrs: ['c1'] } });
    const done = await agent.get(local(back)).set('Accept', 'application/json');
    expect(body(done)).toEqual({ status: 'approved', satisfied: true, returnTo: '/billing' });
    await agent.post('/billing/card').send({}).expect(200, { changed: true });
  });
});
