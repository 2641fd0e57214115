import { createCheckpoint, MemoryStore, outboxChannel } from '@checkpoint/core';
import { ManualClock } from '@checkpoint/core/testing';
import { createFactors, totpCode } from '@checkpoint/factors';
import { evaluate } from '@checkpoint/policy';
import express, {
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import session from 'express-session';
import passport from 'passport';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { passwordFactor } from '../authState/factors.js';
import { beginSecondFactor } from '../session/beginSecondFactor.js';
import { completeLogin } from '../session/completeLogin.js';
import { pendingUserId } from '../session/pendingUserId.js';
import { RecoveryCodeStrategy, TotpStrategy } from './TotpStrategy.js';

const SECRET = 'passport-totp-tests-secret-0123456789abcd';
type Body = Record<string, unknown>;

function setup() {
  const clock = new ManualClock();
  const checkpoint = createCheckpoint({
    secret: SECRET,
    channels: [outboxChannel({ name: 'sms' })],
    store: new MemoryStore(),
    clock,
  });
  const factors = createFactors({
    secret: SECRET,
    checkpoint,
    totp: { issuer: 'Acme' },
    devices: { secure: false, days: () => 30 },
    now: () => clock.now(),
  });
  const users = new Map([
    ['u_ada', { id: 'u_ada' }],
    ['u_bob', { id: 'u_bob' }],
  ]);
  const auth = new passport.Passport();
  const byId = (userId: string, done: (err: unknown, user?: Express.User | false) => void) =>
    done(null, users.get(userId) ?? false);
  auth.use(new TotpStrategy({ factors, userId: pendingUserId, tenantId: () => 'acme' }, byId));
  auth.use(
    new RecoveryCodeStrategy({ factors, userId: pendingUserId, tenantId: () => 'acme' }, byId),
  );
  auth.serializeUser((user, done) => done(null, (user as { id: string }).id));
  auth.deserializeUser((id: string, done) => done(null, users.get(id) ?? false));

  const app = express();
  app.use(express.json());
  app.use(session({ secret: 'cookie-secret', resave: false, saveUninitialized: false }));
  app.use(auth.session());
  // Factor 1 (the password check itself is the app's). A remembered browser skips factor 2.
  app.post('/login/password', async (req: Request, res: Response) => {
    const userId = (req.body as { user: string }).user;
    const owner = { tenantId: 'acme', userId };
    const seen = await factors.devices.recognise({ owner, cookieHeader: req.headers.cookie });
    if (seen.status === 'recognised') {
      const result = await completeLogin(req, {
        user: users.get(userId),
        factors: [passwordFactor({ at: clock.now() }), seen.factor],
        tenantId: 'acme',
        now: clock.now(),
      });
      res.json({ authenticated: result.authenticated, device: seen.status });
      return;
    }
    await beginSecondFactor(req, {
      userId,
      factors: [passwordFactor({ at: clock.now() })],
      tenantId: 'acme',
    });
    res.status(202).json({ secondFactor: true, device: seen.status });
  });
  for (const [path, name] of [
    ['/login/totp', 'checkpoint-totp'],
    ['/login/recovery', 'checkpoint-recovery-code'],
  ] as const) {
    app.post(path, (req: Request, res: Response, next: NextFunction) => {
      const authenticate = auth.authenticate(
        name,
        (err: unknown, user?: Express.User | false, info?: unknown, status?: number) => {
          if (err) return next(err);
          if (!user) return res.status(status ?? 401).json(info);
          completeLogin(req, { user, info, now: clock.now() }).then(async (result) => {
            const remember = (req.body as { remember?: boolean }).remember === true;
            if (result.authenticated && remember) {
              const kept = await factors.devices.remember({
                owner: { tenantId: 'acme', userId: result.state.userId },
              });
              if (kept !== undefined)
                res.cookie(kept.cookie.name, kept.cookie.value, kept.cookie.options);
            }
            res.json({
              authenticated: result.authenticated,
              methods: result.state.factors.map((f) => f.method),
              billing: evaluate('billing_change', result.state, { id: 'acme' }, clock.now())
                .satisfied,
            });
          }, next);
        },
      ) as RequestHandler;
      authenticate(req, res, next);
    });
  }
  return { app, clock, factors };
}

async function enrol(
  factors: ReturnType<typeof setup>['factors'],
  clock: ManualClock,
  userId = 'u_ada',
) {
  const owner = { tenantId: 'acme', userId };
  const enrolment = await factors.totp.enrol({ owner, accountName: userId });
  await factors.totp.confirm({
    owner,
    id: enrolment.id,
    code: await totpCode({ secret: enrolment.secret, at: clock.now() }),
  });
  await clock.advance(60_000);
  return () => totpCode({ secret: enrolment.secret, at: clock.now() });
}

describe('TotpStrategy', () => {
  it('completes a password login with an authenticator code, and refuses the code a second time', async () => {
    const { app, clock, factors } = setup();
    const codeNow = await enrol(factors, clock);
    const agent = request.agent(app);
    expect((await agent.post('/login/password').send({ user: 'u_ada' })).status).toBe(202);
    const code = await codeNow();
    const done = await agent.post('/login/totp').send({ code });
    expect(done.body as Body).toEqual({
      authenticated: true,
      methods: ['pwd', 'totp'],
      billing: true,
    });

    const thief = request.agent(app);
    await thief.post('/login/password').send({ user: 'u_ada' });
    const replay = await thief.post('/login/totp').send({ code });
    expect(replay.status).toBe(401);
    expect(replay.body as Body).toEqual({ status: 'failed', message: 'code not accepted' });
  });

  it('fails with 400 without a code and 401 without a pending login', async () => {
    const { app } = setup();
    const agent = request.agent(app);
    expect((await agent.post('/login/totp').send({})).status).toBe(400);
    const none = await agent.post('/login/totp').send({ code: '123456' });
    expect(none.status).toBe(401);
    expect((none.body as Body).status).toBe('no_pending_login');
  });

  it('answers 429 after too many guesses', async () => {
    const { app, clock, factors } = setup();
    await enrol(factors, clock);
    const agent = request.agent(app);
    await agent.post('/login/password').send({ user: 'u_ada' });
    let last = 0;
    for (let i = 0; i < 11; i += 1)
      last = (await agent.post('/login/totp').send({ code: '000000' })).status;
    expect(last).toBe(429);
  });
});

describe('RecoveryCodeStrategy', () => {
  it('logs in with a recovery code once, which never satisfies a step-up on its own age', async () => {
    const { app, factors } = setup();
    const { codes } = await factors.recoveryCodes.generate({
      owner: { tenantId: 'acme', userId: 'u_ada' },
    });
    const agent = request.agent(app);
    await agent.post('/login/password').send({ user: 'u_ada' });
    const done = await agent.post('/login/recovery').send({ code: codes[0] });
    expect(done.body as Body).toEqual({
      authenticated: true,
      methods: ['pwd', 'recovery-code'],
      billing: false,
    });
    const again = request.agent(app);
    await again.post('/login/password').send({ user: 'u_ada' });
    expect((await again.post('/login/recovery').send({ code: codes[0] })).status).toBe(401);
  });
});

describe('a remembered device at login', () => {
  it('skips the second factor for its user only, and never satisfies a step-up', async () => {
    const { app, clock, factors } = setup();
    const codeNow = await enrol(factors, clock);
    const agent = request.agent(app);
    await agent.post('/login/password').send({ user: 'u_ada' });
    const remembered = await agent
      .post('/login/totp')
      .send({ code: await codeNow(), remember: true });
    const cookie = (remembered.headers['set-cookie'] as unknown as string[]).find((c) =>
      c.startsWith('cp_device_'),
    );
    expect(cookie).toContain('HttpOnly');
    const value = (cookie as string).split(';')[0] as string;

    const later = request(app);
    const skipped = await later
      .post('/login/password')
      .set('Cookie', value)
      .send({ user: 'u_ada' });
    expect(skipped.body as Body).toEqual({ authenticated: true, device: 'recognised' });

    // The same cookie value under Bob's cookie name: refused; Bob must pass his second factor.
    const bobName = factors.devices.cookieName({ tenantId: 'acme', userId: 'u_bob' });
    const asBob = await later
      .post('/login/password')
      .set('Cookie', `${bobName}=${value.slice(value.indexOf('=') + 1)}`)
      .send({ user: 'u_bob' });
    expect(asBob.body as Body).toEqual({ secondFactor: true, device: 'invalid' });

    await clock.advance(30 * 86_400_000);
    const expired = await later
      .post('/login/password')
      .set('Cookie', value)
      .send({ user: 'u_ada' });
    expect(expired.body as Body).toEqual({ secondFactor: true, device: 'expired' });
  });

  it('is refused once revoked', async () => {
    const { app, factors } = setup();
    const owner = { tenantId: 'acme', userId: 'u_ada' };
    const kept = await factors.devices.remember({ owner });
    const value = `${kept?.cookie.name}=${kept?.cookie.value}`;
    await factors.devices.revokeAll({ owner });
    const response = await request(app)
      .post('/login/password')
      .set('Cookie', value)
      .send({ user: 'u_ada' });
    expect(response.body as Body).toEqual({ secondFactor: true, device: 'revoked' });
  });
});
