import { MemoryStore } from '@checkpoint/core';
import { createWebAuthn, MemoryCredentialRepository } from '@checkpoint/webauthn';
import { createTestMetadata, SoftwareAuthenticator } from '@checkpoint/webauthn/testing';
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
import { WebAuthnStrategy } from './WebAuthnStrategy.js';

const ORIGIN = 'https://console.acme.example';
const USERS = new Set(['u_alice', 'u_bob']);
/** A hardware key model the relying party approves, and its maker's attestation keys. */
const KEY_MODEL = '2fc0579f-8113-47ea-b116-bb5a8db9202a';
const maker = createTestMetadata({ authenticators: [{ aaguid: KEY_MODEL }] });
const securityKey = { aaguid: KEY_MODEL, attestation: maker.attestation(KEY_MODEL) };

async function setup() {
  const webauthn = createWebAuthn({
    rpID: 'console.acme.example',
    rpName: 'Acme Console',
    origins: [ORIGIN],
    store: new MemoryStore(),
    credentials: new MemoryCredentialRepository(),
    // AAL3 passkeys: an attested hardware model, bound with an (out-of-band) approval.
    approvedAuthenticators: () => [{ aaguid: KEY_MODEL, roots: [maker.attestationRoot.pem] }],
    approveAal3Enrolment: () => ({ approvedBy: 'test approval' }),
  });
  const devices = new Map<string, SoftwareAuthenticator>();
  for (const [userId, options] of [
    ['u_alice', securityKey],
    ['u_bob', securityKey],
    ['u_synced', { backupEligible: true, backupState: true }],
  ] as const) {
    const device = new SoftwareAuthenticator({ origin: ORIGIN, ...options });
    const creation = await webauthn.registrationOptions({ userId, userName: userId });
    await webauthn.verifyRegistration({ userId, response: device.register(creation) });
    devices.set(userId, device);
  }

  const auth = new passport.Passport();
  const byId = (userId: string, done: (err: unknown, user?: { id: string } | false) => void) =>
    done(null, USERS.has(userId) || userId === 'u_synced' ? { id: userId } : false);
  auth.use(new WebAuthnStrategy({ webauthn }, byId));
  auth.use('passkey-2fa', new WebAuthnStrategy({ webauthn, userId: pendingUserId }, byId));
  auth.serializeUser((user, done) => done(null, (user as { id: string }).id));
  auth.deserializeUser((id: string, done) => done(null, { id }));

  const app = express();
  app.use(express.json());
  app.use(session({ secret: 'webauthn-strategy', resave: false, saveUninitialized: false }));
  app.use(auth.session());
  app.post('/login/options', async (req: Request, res: Response) => {
    const { userId } = req.body as { userId?: string };
    res.json(await webauthn.authenticationOptions(userId === undefined ? {} : { userId }));
  });
  const login =
    (strategy: string): RequestHandler =>
    (req: Request, res: Response, next: NextFunction) => {
      (
        auth.authenticate(
          strategy,
          (err: unknown, user?: Express.User | false | null, info?: unknown, status?: unknown) => {
            if (err) return next(err);
            if (!user) return res.status(typeof status === 'number' ? status : 401).json(info);
            completeLogin(req, { user, info }).then((result) => res.json(result), next);
          },
        ) as RequestHandler
      )(req, res, next);
    };
  app.post('/login/passkey', login('checkpoint-webauthn'));
  app.post('/login/passkey-2fa', login('passkey-2fa'));
  app.post('/login/password', async (req: Request, res: Response) => {
    await beginSecondFactor(req, {
      userId: (req.body as { userId: string }).userId,
      factors: [passwordFactor()],
    });
    res.status(204).end();
  });
  app.get('/me', (req: Request, res: Response) => res.json({ user: req.user ?? null }));
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    res.status(500).json({ error: String(err) });
  });
  return { app, devices };
}

const body = (response: request.Response) => response.body as Record<string, unknown>;

async function assertion(
  agent: ReturnType<typeof request.agent>,
  device: SoftwareAuthenticator | undefined,
  userId?: string,
) {
  const options = await agent.post('/login/options').send(userId === undefined ? {} : { userId });
  return device?.authenticate(options.body as never);
}

describe('WebAuthnStrategy', () => {
  it('logs a user in with a device-bound passkey alone: AAL3 meets the login checkpoint', async () => {
    const { app, devices } = await setup();
    const agent = request.agent(app);
    const response = await assertion(agent, devices.get('u_alice'));
    const login = await agent.post('/login/passkey').send({ response });
    expect(body(login)).toMatchObject({
      authenticated: true,
      state: { userId: 'u_alice', factors: [{ method: 'webauthn', aal: 3, userVerified: true }] },
    });
    expect(body(await agent.get('/me'))).toEqual({ user: { id: 'u_alice' } });
  });

  it('logs a user in with a synced passkey too: phishing-resistant AAL2', async () => {
    const { app, devices } = await setup();
    const agent = request.agent(app);
    const login = await agent
      .post('/login/passkey')
      .send({ response: await assertion(agent, devices.get('u_synced')) });
    expect(body(login)).toMatchObject({
      authenticated: true,
      state: { factors: [{ method: 'webauthn', aal: 2 }] },
    });
  });

  it("as a second factor, takes only the pending user's passkey", async () => {
    const { app, devices } = await setup();
    const agent = request.agent(app);
    const none = await agent
      .post('/login/passkey-2fa')
      .send({ response: await assertion(agent, devices.get('u_alice')) });
    expect(none.status).toBe(401);
    expect(body(none)).toMatchObject({ status: 'no_pending_login' });

    await agent.post('/login/password').send({ userId: 'u_alice' }).expect(204);
    const wrong = await agent
      .post('/login/passkey-2fa')
      .send({ response: await assertion(agent, devices.get('u_bob')) });
    expect(wrong.status).toBe(401);
    expect(body(wrong)).toMatchObject({ status: 'refused' });
    expect(body(await agent.get('/me'))).toEqual({ user: null });

    const right = await agent
      .post('/login/passkey-2fa')
      .send({ response: await assertion(agent, devices.get('u_alice'), 'u_alice') });
    expect(body(right)).toMatchObject({ authenticated: true });
    const methods = (body(right).state as { factors: { method: string }[] }).factors.map(
      (f) => f.method,
    );
    expect(methods).toEqual(['pwd', 'webauthn']);
  });

  it('refuses a replayed assertion and answers 400 to a missing one', async () => {
    const { app, devices } = await setup();
    const agent = request.agent(app);
    const response = await assertion(agent, devices.get('u_alice'));
    await agent.post('/login/passkey').send({ response }).expect(200);
    const replay = await request(app).post('/login/passkey').send({ response });
    expect(replay.status).toBe(401);
    expect(body(replay)).toMatchObject({ status: 'refused', reasons: ['webauthn:challenge'] });
    const missing = await request(app).post('/login/passkey').send({});
    expect(missing.status).toBe(400);
    expect(body(missing)).toMatchObject({ status: 'missing_credentials' });
  });

  it('needs a webauthn object and a verify callback', () => {
    expect(() => new WebAuthnStrategy({} as never, () => undefined)).toThrow(TypeError);
    expect(
      () =>
        new WebAuthnStrategy(
          { webauthn: { verifyAuthentication: () => undefined } as never },
          undefined as never,
        ),
    ).toThrow(/verify callback/);
  });
});
