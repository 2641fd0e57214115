import { createCheckpoint, outboxChannel } from '@checkpoint/core';
import request from 'supertest';
import { json } from '../fixtures/otpApp.js';
import { describe, expect, it } from 'vitest';
import { passwordlessApp } from './passwordlessApp.js';
import { demoUser } from './users.js';

const alice = demoUser({
  id: 'u_alice',
  username: 'alice',
  password: 'correct horse battery staple',
  phone: '+14155550100',
});

function setup() {
  const sms = outboxChannel({ name: 'sms' });
  const checkpoint = createCheckpoint({
    secret: 'passwordless-secret-0123456789abcdef',
    channels: [sms],
  });
  return { app: passwordlessApp({ checkpoint, users: [alice] }), sms };
}

describe('the README passwordless example', () => {
  it('takes the code as one factor and logs the user in only after the password', async () => {
    const { app, sms } = setup();
    const agent = request.agent(app);
    const sent = await agent.post('/login/otp/send').send({ phone: '+1 415 555 0100' });
    expect(sent.status).toBe(202);
    const code = sms.latest(alice.phone)?.code;
    const first = await agent.post('/login/otp').send({ id: json(sent).id, code });
    // An SMS code alone is AAL1: the login checkpoint (AAL2) is not met, nobody is logged in.
    expect(first.status).toBe(401);
    expect(first.body).toMatchObject({ error: 'second_factor_required', factors: ['otp-sms'] });
    expect((first.body as { methods: string[] }).methods).toContain('pwd');
    expect((await agent.get('/me')).status).toBe(401);

    expect((await agent.post('/login/password').send({ password: 'wrong' })).status).toBe(401);
    const second = await agent
      .post('/login/password')
      .send({ password: 'correct horse battery staple' });
    expect(second.body).toEqual({ userId: alice.id, factors: ['otp-sms', 'pwd'] });
    expect((await agent.get('/me')).body).toEqual({ userId: alice.id });
  });

  it('never takes a password without a code first', async () => {
    const { app } = setup();
    const agent = request.agent(app);
    const response = await agent
      .post('/login/password')
      .send({ password: 'correct horse battery staple' });
    expect(response.status).toBe(401);
    expect((await agent.get('/me')).status).toBe(401);
  });

  it('sends to an unknown number like to a known one, and logs nobody in with that code', async () => {
    const { app, sms } = setup();
    const sent = await request(app).post('/login/otp/send').send({ phone: '+14155550199' });
    expect(sent.status).toBe(202);
    expect(Object.keys(json(sent)).sort()).toEqual(['expiresAt', 'id']);
    const login = await request(app)
      .post('/login/otp')
      .send({ id: json(sent).id, code: sms.latest('+14155550199')?.code });
    expect(login.status).toBe(401);
    expect(login.body).toEqual({ status: 'rejected', message: 'not accepted' });
  });

  it("answers a malformed number with core's invalid_number error", async () => {
    const { app } = setup();
    const response = await request(app).post('/login/otp/send').send({ phone: '12' });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: 'invalid_number' });
  });
});
