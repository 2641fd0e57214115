// Threat: a password alone, or an OTP meant for someone else, must never complete a login.
import { createCheckpoint, outboxChannel } from '@checkpoint/core';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { json, sessionCookie, wrongCode } from '../fixtures/otpApp.js';
import type { AuthState } from '../index.js';
import { secondFactorApp } from './secondFactorApp.js';
import { demoUser } from './users.js';

const alice = demoUser({
  id: 'u_alice',
  username: 'alice',
  password: 'alice-password',
  phone: '+14155550100',
});
const bob = demoUser({
  id: 'u_bob',
  username: 'bob',
  password: 'bob-password',
  phone: '+14155550101',
});

function setup() {
  const sms = outboxChannel({ name: 'sms' });
  const checkpoint = createCheckpoint({
    secret: 'second-factor-secret-0123456789abcdef',
    channels: [sms],
  });
  const app = secondFactorApp({ checkpoint, users: [alice, bob] });
  return { app, checkpoint, sms };
}

describe('second factor after passport-local', () => {
  it('does not log in with the password alone', async () => {
    const { app, sms } = setup();
    const agent = request.agent(app);
    const password = await agent
      .post('/login/password')
      .send({ username: 'alice', password: 'alice-password' });
    expect(password.status).toBe(202);
    expect(password.body).toEqual({
      id: expect.stringMatching(/^vf_/) as unknown,
      expiresAt: expect.any(Number) as unknown,
    });
    expect(sms.latest(alice.phone)?.purpose).toBe('login');
    expect((await agent.get('/me')).status).toBe(401);
  });

  it('refuses a wrong password without sending a code', async () => {
    const { app, sms } = setup();
    const response = await request(app)
      .post('/login/password')
      .send({ username: 'alice', password: 'wrong' });
    expect(response.status).toBe(401);
    expect(sms.messages).toHaveLength(0);
  });

  it('logs in with the password and the code, recording both factors on a new session id', async () => {
    const { app, sms } = setup();
    const agent = request.agent(app);
    const password = await agent
      .post('/login/password')
      .send({ username: 'alice', password: 'alice-password' });
    const pending = sessionCookie(password);
    const code = sms.latest(alice.phone)?.code ?? '';

    const otp = await agent.post('/login/otp').send({ id: json(password).id, code });
    expect(otp.status).toBe(200);
    expect(otp.body).toEqual({ userId: alice.id, factors: ['pwd', 'otp-sms'] });
    const loggedIn = sessionCookie(otp);
    expect(loggedIn).toBeDefined();
    expect(loggedIn).not.toBe(pending);

    const me = await agent.get('/me');
    expect(me.status).toBe(200);
    expect(json(me).auth).toEqual({
      userId: alice.id,
      tenantId: 'default',
      factors: [
        { method: 'pwd', amr: ['pwd'], aal: 1, at: expect.any(Number) as unknown },
        {
          method: 'otp-sms',
          amr: ['sms'],
          aal: 1,
          at: expect.any(Number) as unknown,
          source: json(password).id,
          codeLength: 6,
        },
      ],
      // This signed-in session's own key (sign-outs and step-up grants are recorded against it).
      sessionKey: expect.stringMatching(/^[\w-]{22}$/) as unknown,
      signedInAt: expect.any(Number) as unknown,
    });
    const [pwd, otpFactor] = (json(me).auth as AuthState).factors;
    expect(otpFactor?.at).toBeGreaterThanOrEqual(pwd?.at ?? Number.POSITIVE_INFINITY);
    // The half-logged-in session id is worth nothing afterwards.
    expect(
      (
        await request(app)
          .get('/me')
          .set('Cookie', pending ?? '')
      ).status,
    ).toBe(401);
  });

  it("does not let user A's code complete user B's login", async () => {
    const { app, checkpoint, sms } = setup();
    const aliceAgent = request.agent(app);
    const bobAgent = request.agent(app);
    const aliceStart = await aliceAgent
      .post('/login/password')
      .send({ username: 'alice', password: 'alice-password' });
    const aliceCode = sms.latest(alice.phone)?.code ?? '';
    await bobAgent.post('/login/password').send({ username: 'bob', password: 'bob-password' });

    const stolen = await bobAgent
      .post('/login/otp')
      .send({ id: json(aliceStart).id, code: aliceCode });
    expect(stolen.status).toBe(401);
    expect(stolen.body).toEqual({ status: 'not_found', message: 'no such verification' });
    expect((await bobAgent.get('/me')).status).toBe(401);

    // Alice's verification lost nothing: no attempt was spent on the mismatch.
    const verification = await checkpoint.get(json(aliceStart).id as string);
    expect(verification).toMatchObject({ status: 'pending', attempts: 0 });
    const own = await aliceAgent
      .post('/login/otp')
      .send({ id: json(aliceStart).id, code: aliceCode });
    expect(own.body).toEqual({ userId: alice.id, factors: ['pwd', 'otp-sms'] });
  });

  it('refuses a code when no password was given in this session', async () => {
    const { app, checkpoint, sms } = setup();
    const { id } = await checkpoint.send({ to: alice.phone, purpose: 'login', subject: alice.id });
    const response = await request(app)
      .post('/login/otp')
      .send({ id, code: sms.latest(alice.phone)?.code });
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ status: 'no_pending_login', message: 'no pending login' });
  });

  it('counts wrong second-factor codes and reports the attempts left', async () => {
    const { app, sms } = setup();
    const agent = request.agent(app);
    const start = await agent
      .post('/login/password')
      .send({ username: 'bob', password: 'bob-password' });
    const code = sms.latest(bob.phone)?.code ?? '';
    const wrong = await agent
      .post('/login/otp')
      .send({ id: json(start).id, code: wrongCode(code) });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({ status: 'failed', message: 'wrong code', remainingAttempts: 4 });
    const right = await agent.post('/login/otp').send({ id: json(start).id, code });
    expect(right.body).toEqual({ userId: bob.id, factors: ['pwd', 'otp-sms'] });
  });
});
