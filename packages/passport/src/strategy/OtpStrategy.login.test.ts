import request from 'supertest';
import { describe, expect, it } from 'vitest';
import {
  ALICE,
  BOB,
  byPhone,
  otpApp,
  sessionCookie,
  testCheckpoint,
  wrongCode,
  json,
} from '../fixtures/otpApp.js';
import { OtpStrategy } from './OtpStrategy.js';

function passwordless() {
  const { checkpoint, sms } = testCheckpoint();
  const app = otpApp(new OtpStrategy({ checkpoint }, byPhone()));
  async function sendTo(phone: string, purpose = 'login') {
    const { id } = await checkpoint.send({ to: phone, purpose });
    return { id, code: sms.latest(phone)?.code ?? '' };
  }
  return { checkpoint, app, sendTo };
}

describe('passwordless login with OtpStrategy', () => {
  it('logs the user in with the id and the code, on a new session id', async () => {
    const { app, sendTo } = passwordless();
    const agent = request.agent(app);
    const visit = await agent.get('/visit');
    const before = sessionCookie(visit);
    expect(before).toBeDefined();

    const { id, code } = await sendTo(ALICE.phone);
    const login = await agent.post('/login/otp').send({ id, code });
    expect(login.status).toBe(200);
    const after = sessionCookie(login);
    expect(after).toBeDefined();
    expect(after).not.toBe(before);

    const me = await agent.get('/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      userId: ALICE.id,
      auth: {
        userId: ALICE.id,
        tenantId: 'default',
        factors: [
          {
            method: 'otp-sms',
            amr: ['sms'],
            aal: 1,
            codeLength: 6,
            source: id,
            at: expect.any(Number) as unknown,
          },
        ],
      },
    });
    // Session fixation: the id from before the login is not logged in.
    const planted = await request(app)
      .get('/me')
      .set('Cookie', before ?? '');
    expect(planted.status).toBe(401);
  });

  it('refuses a wrong code with 401 and says how many attempts are left', async () => {
    const { app, sendTo } = passwordless();
    const agent = request.agent(app);
    const { id, code } = await sendTo(ALICE.phone);
    const response = await agent.post('/login/otp').send({ id, code: wrongCode(code) });
    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      status: 'failed',
      message: 'wrong code',
      remainingAttempts: 4,
    });
    expect((await agent.get('/me')).status).toBe(401);
  });

  it('locks the verification after the last attempt, even for the right code', async () => {
    const { app, sendTo } = passwordless();
    const { id, code } = await sendTo(ALICE.phone);
    const remaining: unknown[] = [];
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const response = await request(app)
        .post('/login/otp')
        .send({ id, code: wrongCode(code) });
      expect(response.status).toBe(401);
      remaining.push(json(response).remainingAttempts);
    }
    expect(remaining).toEqual([4, 3, 2, 1, 0]);
    const right = await request(app).post('/login/otp').send({ id, code });
    expect(right.status).toBe(401);
    expect(right.body).toEqual({
      status: 'max_attempts',
      message: 'too many attempts',
      remainingAttempts: 0,
    });
  });

  it('refuses a code sent for another purpose without spending an attempt on it', async () => {
    const { app, checkpoint, sendTo } = passwordless();
    const { id, code } = await sendTo(ALICE.phone, 'signup');
    const response = await request(app).post('/login/otp').send({ id, code });
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ status: 'not_found', message: 'no such verification' });
    // Still pending and unspent for its own purpose.
    expect(await checkpoint.check({ id, code, purpose: 'signup' })).toMatchObject({
      status: 'approved',
    });
  });

  it('refuses a code that was already used to log in', async () => {
    const { app, sendTo } = passwordless();
    const { id, code } = await sendTo(ALICE.phone);
    expect((await request(app).post('/login/otp').send({ id, code })).status).toBe(200);
    const replay = await request(app).post('/login/otp').send({ id, code });
    expect(replay.status).toBe(401);
    expect(replay.body).toMatchObject({ status: 'not_found' });
  });

  it('answers an unknown id exactly like a replay or a purpose mismatch', async () => {
    const { app } = passwordless();
    const response = await request(app)
      .post('/login/otp')
      .send({ id: 'vf_AAAAAAAAAAAAAAAAAAAAAAAAAA', code: '123456' });
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ status: 'not_found', message: 'no such verification' });
  });

  it('answers 400 when the id or the code is missing, before any check', async () => {
    const { app, checkpoint, sendTo } = passwordless();
    const { id, code } = await sendTo(ALICE.phone);
    for (const body of [{}, { id }, { code }, { id: '', code }]) {
      const response = await request(app).post('/login/otp').send(body);
      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        status: 'missing_credentials',
        message: 'missing id or code',
      });
    }
    expect(await checkpoint.check({ id, code })).toMatchObject({ status: 'approved' });
  });

  it('answers 400 to a malformed code and spends no attempt on it', async () => {
    const { app, checkpoint, sendTo } = passwordless();
    const { id, code } = await sendTo(ALICE.phone);
    for (const bad of ['12a456', '١٢٣٤٥٦', 123456, ['123456']]) {
      const response = await request(app).post('/login/otp').send({ id, code: bad });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ status: 'invalid_request' });
    }
    const wrong = await request(app)
      .post('/login/otp')
      .send({ id, code: wrongCode(code) });
    expect(wrong.body).toMatchObject({ remainingAttempts: 4 });
    expect(await checkpoint.check({ id, code })).toMatchObject({ status: 'approved' });
  });

  it('answers 401 when the verify callback finds no user for the verification', async () => {
    const { checkpoint, sms } = testCheckpoint();
    const app = otpApp(new OtpStrategy({ checkpoint }, byPhone([ALICE])));
    const { id } = await checkpoint.send({ to: BOB.phone, purpose: 'login' });
    const agent = request.agent(app);
    const response = await agent.post('/login/otp').send({ id, code: sms.latest(BOB.phone)?.code });
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ status: 'rejected', message: 'not accepted' });
    expect((await agent.get('/me')).status).toBe(401);
  });

  it("passes on the verify callback's own failure info", async () => {
    const { checkpoint, sms } = testCheckpoint();
    const app = otpApp(
      new OtpStrategy({ checkpoint }, (_verification, done) =>
        done(null, false, { message: 'account suspended' }),
      ),
    );
    const { id } = await checkpoint.send({ to: ALICE.phone, purpose: 'login' });
    const response = await request(app)
      .post('/login/otp')
      .send({ id, code: sms.latest(ALICE.phone)?.code });
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ message: 'account suspended' });
  });

  it('reports a verify callback error as an error, not a failed login', async () => {
    const { checkpoint, sms } = testCheckpoint();
    const app = otpApp(
      new OtpStrategy({ checkpoint }, (_verification, done) => done(new Error('directory down'))),
    );
    const { id } = await checkpoint.send({ to: ALICE.phone, purpose: 'login' });
    const response = await request(app)
      .post('/login/otp')
      .send({ id, code: sms.latest(ALICE.phone)?.code });
    expect(response.status).toBe(500);
  });

  it('refuses a verification of another tenant when the strategy binds the tenant', async () => {
    const { checkpoint, sms } = testCheckpoint();
    await checkpoint.configure('acme', {});
    await checkpoint.configure('globex', {});
    const app = otpApp(
      new OtpStrategy(
        { checkpoint, tenantId: (req) => req.get('x-tenant') ?? 'default' },
        byPhone(),
      ),
    );
    const { id } = await checkpoint.send({ to: ALICE.phone, purpose: 'login', tenantId: 'acme' });
    const code = sms.latest(ALICE.phone)?.code;
    const other = await request(app)
      .post('/login/otp')
      .set('x-tenant', 'globex')
      .send({ id, code });
    expect(other.status).toBe(401);
    expect(other.body).toMatchObject({ status: 'not_found' });
    const own = await request(app).post('/login/otp').set('x-tenant', 'acme').send({ id, code });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ tenantId: 'acme' });
  });
});
