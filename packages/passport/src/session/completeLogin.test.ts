import { factor, type TenantPolicy } from '@checkpoint/policy';
import express, { type NextFunction, type Request, type Response } from 'express';
import session from 'express-session';
import passport from 'passport';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { passwordFactor } from '../authState/factors.js';
import { beginSecondFactor } from './beginSecondFactor.js';
import { completeLogin } from './completeLogin.js';
import { pendingUserId } from './pendingUserId.js';

const NOW = Date.UTC(2026, 10, 22, 12);
const DAY = 86_400_000;
const IDP = 'https://idp.acme.example';
const sms = factor('otp-sms', { at: NOW - 1_000, codeLength: 6, source: 'vf_x' });
const info = { factor: sms, verification: { tenantId: 'acme' } };
const trusting: TenantPolicy = {
  id: 'acme',
  trustIdpMfa: true,
  trustedIdps: [{ issuer: IDP, acr: { 'urn:acme:mfa': 2 } }],
};

/** An app whose routes call the session helpers directly; errors answer 500 with their message. */
function helperApp(withSession = true) {
  const auth = new passport.Passport();
  auth.serializeUser((user, done) => done(null, (user as { id: string }).id));
  auth.deserializeUser((id: string, done) => done(null, { id }));
  const app = express();
  app.use(express.json());
  if (withSession) {
    app.use(session({ secret: 'helpers-secret', resave: false, saveUninitialized: false }));
  }
  app.use(withSession ? auth.session() : auth.initialize());
  app.post('/begin', async (req: Request, res: Response) => {
    const { userId, age = 0 } = req.body as { userId: string; age?: number };
    await beginSecondFactor(req, { userId, factors: [passwordFactor({ at: NOW - age })] });
    res.json({ pending: pendingUserId(req) });
  });
  app.post('/complete', async (req: Request, res: Response) => {
    const user = { id: (req.body as { userId: string }).userId };
    res.json(await completeLogin(req, { user, info, now: NOW }));
  });
  app.post('/password', async (req: Request, res: Response) => {
    const user = { id: (req.body as { userId: string }).userId };
    res.json(await completeLogin(req, { user, factors: [passwordFactor({ at: NOW })], now: NOW }));
  });
  app.post('/sso', async (req: Request, res: Response) => {
    const { acr, trust } = req.body as { acr: string; trust: boolean };
    const sso = factor('sso', { at: NOW - 5_000, source: IDP, acr, amr: ['pwd', 'otp'] });
    const result = await completeLogin(req, {
      user: { id: 'u_sso' },
      factors: [sso],
      tenant: trust ? trusting : { id: 'acme' },
      now: NOW,
    });
    res.json(result);
  });
  app.post('/complete-without-info', async (req: Request, res: Response) => {
    res.json(await completeLogin(req, { user: { id: 'u1' } }));
  });
  app.get('/me', (req: Request, res: Response) => {
    res.json({ user: req.user ?? null, pending: pendingUserId(req) ?? null });
  });
  app.use((err: Error, _req: Request, res: Response, _next: NextFunction) => {
    res.status(500).json({ name: err.name, message: err.message });
  });
  return app;
}

describe('beginSecondFactor and completeLogin', () => {
  it('carries the pending password into the AuthState of the same user: AAL2, logged in', async () => {
    const agent = request.agent(helperApp());
    expect((await agent.post('/begin').send({ userId: 'u1' })).body).toEqual({ pending: 'u1' });
    const result = await agent.post('/complete').send({ userId: 'u1' });
    expect(result.body).toEqual({
      authenticated: true,
      state: {
        userId: 'u1',
        tenantId: 'acme',
        factors: [{ method: 'pwd', amr: ['pwd'], aal: 1, at: NOW }, sms],
      },
    });
    expect((await agent.get('/me')).body).toEqual({ user: { id: 'u1' }, pending: null });
  });

  it("never counts one user's password for another user", async () => {
    const agent = request.agent(helperApp());
    await agent.post('/begin').send({ userId: 'u1' });
    const result = await agent.post('/complete').send({ userId: 'u2' });
    expect(result.body).toMatchObject({
      authenticated: false,
      state: { userId: 'u2', tenantId: 'acme', factors: [sms] },
      needed: { satisfied: false, checkpoint: 'login', requiredAal: 2, currentAal: 1 },
    });
    expect((await agent.get('/me')).body).toEqual({ user: null, pending: 'u2' });
  });

  it('does not count a password older than the login checkpoint allows (24 h)', async () => {
    const agent = request.agent(helperApp());
    await agent.post('/begin').send({ userId: 'u1', age: DAY + 1_000 });
    const result = await agent.post('/complete').send({ userId: 'u1' });
    expect(result.body).toMatchObject({ authenticated: false, needed: { reason: 'stale' } });
    expect(((await agent.get('/me')).body as { user: unknown }).user).toBeNull();
  });

  it('keeps a passwordless code pending until a second factor completes the login', async () => {
    const agent = request.agent(helperApp());
    const code = await agent.post('/complete').send({ userId: 'u1' });
    expect(code.body).toMatchObject({ authenticated: false });
    // With an SMS code held, one more method completes AAL2: a passkey, or the password (an
    // authenticator app would be a second possession factor, not a second kind).
    expect((code.body as { needed: { methods: string[] } }).needed.methods).toEqual([
      'webauthn',
      'pwd',
    ]);
    expect((await agent.get('/me')).body).toEqual({ user: null, pending: 'u1' });

    const password = await agent.post('/password').send({ userId: 'u1' });
    expect(password.body).toMatchObject({ authenticated: true, state: { tenantId: 'acme' } });
    expect(
      (password.body as { state: { factors: { method: string }[] } }).state.factors.map(
        (f) => f.method,
      ),
    ).toEqual(['otp-sms', 'pwd']);
    expect((await agent.get('/me')).body).toEqual({ user: { id: 'u1' }, pending: null });
  });

  it("logs in through SSO only when the tenant trusts the IdP's MFA", async () => {
    const refused = request.agent(helperApp());
    const weak = await refused.post('/sso').send({ acr: 'urn:acme:mfa', trust: false });
    expect(weak.body).toMatchObject({ authenticated: false, needed: { currentAal: 1 } });
    expect((await refused.get('/me')).body).toEqual({ user: null, pending: 'u_sso' });

    const passwordOnly = request.agent(helperApp());
    const pwd = await passwordOnly.post('/sso').send({ acr: 'urn:acme:pwd', trust: true });
    expect(pwd.body).toMatchObject({ authenticated: false });

    const accepted = request.agent(helperApp());
    const mfa = await accepted.post('/sso').send({ acr: 'urn:acme:mfa', trust: true });
    expect(mfa.body).toMatchObject({ authenticated: true, state: { userId: 'u_sso' } });
    expect(((await accepted.get('/me')).body as { user: unknown }).user).toEqual({ id: 'u_sso' });
  });

  it('gives the session a new id at each step, logged in or not', async () => {
    const agent = request.agent(helperApp());
    const cookieOf = (response: request.Response) =>
      ((response.headers['set-cookie'] as unknown as string[] | undefined) ?? [])[0]?.split(';')[0];
    const first = cookieOf(await agent.post('/begin').send({ userId: 'u1' }));
    const second = cookieOf(await agent.post('/complete').send({ userId: 'u2' }));
    const third = cookieOf(await agent.post('/password').send({ userId: 'u2' }));
    expect(new Set([first, second, third]).size).toBe(3);
    expect(((await agent.get('/me')).body as { user: unknown }).user).toEqual({ id: 'u2' });
  });

  it('throws a TypeError that names express-session when there is no session', async () => {
    const response = await request(helperApp(false)).post('/begin').send({ userId: 'u1' });
    expect(response.status).toBe(500);
    expect(response.body).toEqual({
      name: 'TypeError',
      message: expect.stringMatching(
        /^beginSecondFactor requires a session: add express-session/,
      ) as unknown,
    });
  });

  it('throws a TypeError when there is neither OtpStrategy success info nor factors', async () => {
    const response = await request(helperApp()).post('/complete-without-info').send({});
    expect(response.body).toMatchObject({
      name: 'TypeError',
      message: expect.stringMatching(/success info/) as unknown,
    });
  });
});
