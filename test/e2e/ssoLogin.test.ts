// A login that skips the password form — SSO here — still has to meet the login checkpoint before
// the app sees an authenticated user: @checkpoint/oidc against a real oidc-provider, Passport
// sessions, and @checkpoint/passport's completeLogin as the one gate.
import { createSso } from '@checkpoint/oidc';
import { MFA_LOGIN, PASSWORD_LOGIN, startTestIdp, type TestIdp } from '@checkpoint/oidc/testing';
import { completeLogin, type LoginResult, pendingUserId } from '@checkpoint/passport';
import { factor, type TenantPolicy } from '@checkpoint/policy';
import express, { type NextFunction, type Request, type Response } from 'express';
import session from 'express-session';
import passport from 'passport';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

declare module 'express-session' {
  interface SessionData {
    ssoTransaction?: string;
    ssoTenant?: string;
  }
}

const CALLBACK = 'http://localhost:3000/sso/callback';
let idp: TestIdp;

beforeAll(async () => {
  idp = await startTestIdp({ redirectUris: [CALLBACK] });
});

afterAll(async () => {
  await idp?.close();
});

function app() {
  const client = { issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret };
  // Both tenants sign in at the same IdP; only "trusting" accepts its MFA ("bring your own MFA").
  const tenants: Record<string, TenantPolicy> = {
    trusting: {
      id: 'trusting',
      trustIdpMfa: true,
      trustedIdps: [{ issuer: idp.issuer, acr: { 'urn:test:mfa': 2, 'urn:test:pwd': 1 } }],
    },
    plain: { id: 'plain' },
  };
  const sso = createSso({
    idps: { trusting: client, plain: client },
    redirectUri: CALLBACK,
    allowInsecureRequests: true, // the test IdP speaks http://
  });
  const auth = new passport.Passport();
  auth.serializeUser((user, done) => done(null, (user as { id: string }).id));
  auth.deserializeUser((id: string, done) => done(null, { id }));

  const server = express();
  server.use(express.json());
  server.use(session({ secret: 'sso-login', resave: false, saveUninitialized: false }));
  server.use(auth.session());
  const answer = (res: Response) => (result: LoginResult) =>
    result.authenticated
      ? res.json({ userId: result.state.userId })
      : res.status(401).json({ error: 'second_factor_required', methods: result.needed.methods });

  server.get('/sso/login/:tenant', async (req: Request, res: Response) => {
    const tenantId = String(req.params.tenant);
    const { url, transaction } = await sso.start({ tenantId });
    req.session.ssoTransaction = transaction;
    req.session.ssoTenant = tenantId;
    res.json({ url: url.href });
  });
  server.get('/sso/callback', async (req: Request, res: Response, next: NextFunction) => {
    const tenantId = req.session.ssoTenant ?? '';
    const result = await sso.callback({
      tenantId,
      currentUrl: req.originalUrl,
      transaction: req.session.ssoTransaction,
    });
    // Users are keyed by issuer + subject: another IdP's "alice" is another user.
    const user = { id: result.subject.key };
    const tenant = tenants[tenantId] ?? { id: tenantId };
    completeLogin(req, { user, factors: [result.factor], tenant }).then(answer(res), next);
  });
  // The second factor of a pending SSO login. An untrusted IdP login counts as the weakest
  // method (a password at best), so it takes a possession factor: an SMS code here, whose check
  // is OtpStrategy's business and tested with it; this route records what it would prove.
  server.post('/login/code', (req: Request, res: Response, next: NextFunction) => {
    const id = pendingUserId(req);
    if (id === undefined) return res.status(401).json({ error: 'no_pending_login' });
    const tenantId = String((req.body as { tenant?: string }).tenant);
    const code = factor('otp-sms', { at: Date.now(), codeLength: 6, source: 'vf_test' });
    const tenant = tenants[tenantId] ?? { id: tenantId };
    completeLogin(req, { user: { id }, factors: [code], tenant }).then(answer(res), next);
  });
  server.get('/me', (req: Request, res: Response) => {
    if (req.user === undefined) return res.status(401).json({ error: 'login_required' });
    res.json({ user: req.user });
  });
  server.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    res.status(500).json({ error: String(err) });
  });
  return server;
}

async function ssoLogin(agent: ReturnType<typeof request.agent>, tenant: string, login: object) {
  const started = await agent.get(`/sso/login/${tenant}`);
  const back = await idp.loginThrough(String((started.body as { url: string }).url), { login });
  return agent.get(`${back.pathname}${back.search}`);
}

describe('SSO login meets the login checkpoint before the app sees a user', () => {
  it("signs in with the IdP's MFA where the tenant trusts it", async () => {
    const agent = request.agent(app());
    const done = await ssoLogin(agent, 'trusting', MFA_LOGIN);
    expect(done.body).toEqual({ userId: `${idp.issuer}#alice` });
    expect((await agent.get('/me')).status).toBe(200);
  });

  it('keeps the login pending where the tenant does not trust the IdP, until a second factor', async () => {
    const agent = request.agent(app());
    const done = await ssoLogin(agent, 'plain', MFA_LOGIN);
    expect(done.status).toBe(401);
    expect(done.body).toMatchObject({ error: 'second_factor_required' });
    expect((await agent.get('/me')).status).toBe(401);
    expect((done.body as { methods: string[] }).methods).toContain('otp-sms');
    expect((done.body as { methods: string[] }).methods).not.toContain('pwd');
    const second = await agent.post('/login/code').send({ tenant: 'plain' });
    expect(second.body).toEqual({ userId: `${idp.issuer}#alice` });
    expect((await agent.get('/me')).status).toBe(200);
  });

  it('keeps a password-only IdP login pending even for a trusting tenant', async () => {
    const agent = request.agent(app());
    const done = await ssoLogin(agent, 'trusting', PASSWORD_LOGIN);
    expect(done.status).toBe(401);
    expect((await agent.get('/me')).status).toBe(401);
  });
});
