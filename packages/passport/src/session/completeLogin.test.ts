import express, { type NextFunction, type Request, type Response } from 'express';
import session from 'express-session';
import passport from 'passport';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { passwordFactor } from '../authState/factors.js';
import { beginSecondFactor } from './beginSecondFactor.js';
import { completeLogin } from './completeLogin.js';
import { pendingUserId } from './pendingUserId.js';

const factor = { method: 'otp-sms' as const, amr: ['sms'], aal: 1 as const, at: 2, codeLength: 6 };
const info = { factor, verification: { tenantId: 'acme' } };

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
  app.use(auth.initialize());
  app.post('/begin', async (req: Request, res: Response) => {
    await beginSecondFactor(req, {
      userId: (req.body as { userId: string }).userId,
      factors: [passwordFactor({ at: 1 })],
    });
    res.json({ pending: pendingUserId(req) });
  });
  app.post('/complete', async (req: Request, res: Response) => {
    const user = { id: (req.body as { userId: string }).userId };
    res.json(await completeLogin(req, { user, info }));
  });
  app.post('/complete-without-info', async (req: Request, res: Response) => {
    res.json(await completeLogin(req, { user: { id: 'u1' } }));
  });
  app.use((err: Error, _req: Request, res: Response, _next: NextFunction) => {
    res.status(500).json({ name: err.name, message: err.message });
  });
  return app;
}

describe('beginSecondFactor and completeLogin', () => {
  it('carries the pending factors into the AuthState of the same user', async () => {
    const agent = request.agent(helperApp());
    expect((await agent.post('/begin').send({ userId: 'u1' })).body).toEqual({ pending: 'u1' });
    const state = await agent.post('/complete').send({ userId: 'u1' });
    expect(state.body).toEqual({
      userId: 'u1',
      tenantId: 'acme',
      factors: [{ method: 'pwd', amr: ['pwd'], aal: 1, at: 1 }, factor],
    });
  });

  it("never counts one user's password for another user", async () => {
    const agent = request.agent(helperApp());
    await agent.post('/begin').send({ userId: 'u1' });
    const state = await agent.post('/complete').send({ userId: 'u2' });
    expect(state.body).toEqual({ userId: 'u2', tenantId: 'acme', factors: [factor] });
  });

  it('gives the session a new id at each step', async () => {
    const agent = request.agent(helperApp());
    const cookieOf = (response: request.Response) =>
      ((response.headers['set-cookie'] as unknown as string[] | undefined) ?? [])[0]?.split(';')[0];
    const first = cookieOf(await agent.post('/begin').send({ userId: 'u1' }));
    const second = cookieOf(await agent.post('/begin').send({ userId: 'u1' }));
    const third = cookieOf(await agent.post('/complete').send({ userId: 'u1' }));
    expect(new Set([first, second, third]).size).toBe(3);
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

  it('throws a TypeError when there is no OtpStrategy success info', async () => {
    const response = await request(helperApp()).post('/complete-without-info').send({});
    expect(response.body).toMatchObject({
      name: 'TypeError',
      message: expect.stringMatching(/OtpStrategy's success info/) as unknown,
    });
  });
});
