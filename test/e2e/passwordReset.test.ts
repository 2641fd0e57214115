import { createCheckpoint, outboxChannel } from '@checkpoint/core';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { resetApp, resetUser } from './resetApp.js';

const SECRET = 'e2e-reset-secret-0123456789abcdefghijkl';
const ALICE_PHONE = '+14155550100';

function setup() {
  let now = Date.now();
  const sms = outboxChannel({ name: 'sms' });
  const checkpoint = createCheckpoint({ secret: SECRET, channels: [sms] });
  const alice = resetUser('u_alice', 'alice', ALICE_PHONE, 'old password 1234');
  const app = resetApp({ checkpoint, secret: SECRET, users: [alice], now: () => now });
  return {
    app,
    sms,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

const body = (response: { body: unknown }) => response.body as Record<string, unknown>;

async function approveReset(
  agent: ReturnType<typeof request.agent>,
  sms: ReturnType<typeof outboxChannel>,
) {
  const sent = await agent.post('/reset/otp/send').send({ to: 'alice', purpose: 'password_reset' });
  expect(sent.status).toBe(202);
  const code = sms.latest(ALICE_PHONE)?.code;
  const checked = await agent.post('/reset/otp/check').send({ id: body(sent).id, code });
  expect(body(checked)).toMatchObject({ status: 'approved' });
}

async function login(
  agent: ReturnType<typeof request.agent>,
  sms: ReturnType<typeof outboxChannel>,
  password: string,
) {
  const first = await agent.post('/login/password').send({ username: 'alice', password });
  if (first.status !== 202) return first.status;
  const code = sms.latest(ALICE_PHONE)?.code;
  return (await agent.post('/login/otp').send({ id: body(first).id, code })).status;
}

describe('password reset, end to end (otpRouter, policy, Passport)', () => {
  it('resets the password with a code, signs nobody in, and the login after it needs both factors', async () => {
    const { app, sms } = setup();
    const agent = request.agent(app);
    await approveReset(agent, sms);
    expect(
      (await agent.post('/reset/password').send({ password: 'new password 5678' })).status,
    ).toBe(204);
    // The reset proved the phone, nothing more: no session user.
    expect((await agent.get('/me')).status).toBe(401);

    const fresh = request.agent(app);
    expect(await login(fresh, sms, 'old password 1234')).toBe(401);
    expect(await login(fresh, sms, 'new password 5678')).toBe(200);
    expect(body(await fresh.get('/me'))).toEqual({ userId: 'u_alice' });
  });

  it('answers an unknown account exactly like a known one', async () => {
    const { app, sms } = setup();
    const known = await request(app)
      .post('/reset/otp/send')
      .send({ to: 'alice', purpose: 'password_reset' });
    const unknown = await request(app)
      .post('/reset/otp/send')
      .send({ to: 'mallory', purpose: 'password_reset' });
    expect(unknown.status).toBe(known.status);
    expect(Object.keys(body(unknown)).sort()).toEqual(Object.keys(body(known)).sort());
    expect(sms.messages).toHaveLength(1);
    const checked = await request(app)
      .post('/reset/otp/check')
      .send({ id: body(unknown).id, code: '123456' });
    expect(body(checked)).toMatchObject({ status: 'failed' });
  });

  it('refuses a new password without an approved code, after the checkpoint max age, or twice', async () => {
    const { app, sms, advance } = setup();
    const none = request.agent(app);
    expect(
      body(await none.post('/reset/password').send({ password: 'new password 5678' })),
    ).toEqual({
      error: 'step_up_required',
      checkpoint: 'password_reset',
    });

    const late = request.agent(app);
    await approveReset(late, sms);
    advance(601_000); // password_reset: AAL1 within 10 minutes
    expect(
      (await late.post('/reset/password').send({ password: 'new password 5678' })).status,
    ).toBe(401);

    const twice = request.agent(app);
    await approveReset(twice, sms);
    expect(
      (await twice.post('/reset/password').send({ password: 'new password 5678' })).status,
    ).toBe(204);
    expect(
      (await twice.post('/reset/password').send({ password: 'other password 90' })).status,
    ).toBe(401);
  });

  it('never takes a login code as a reset code', async () => {
    const { app, sms } = setup();
    const agent = request.agent(app);
    const first = await agent
      .post('/login/password')
      .send({ username: 'alice', password: 'old password 1234' });
    const code = sms.latest(ALICE_PHONE)?.code;
    const checked = await agent.post('/reset/otp/check').send({ id: body(first).id, code });
    expect(checked.status).toBe(404);
    expect(
      (await agent.post('/reset/password').send({ password: 'new password 5678' })).status,
    ).toBe(401);
  });

  it('gives the session a new id when the reset code is approved', async () => {
    const { app, sms } = setup();
    const agent = request.agent(app);
    const planted = await agent
      .post('/login/password')
      .send({ username: 'alice', password: 'old password 1234' });
    const before = String(planted.headers['set-cookie']).split(';')[0];
    const sent = await agent
      .post('/reset/otp/send')
      .send({ to: 'alice', purpose: 'password_reset' });
    const checked = await agent
      .post('/reset/otp/check')
      .send({ id: body(sent).id, code: sms.latest(ALICE_PHONE)?.code });
    const after = String(checked.headers['set-cookie']).split(';')[0];
    expect(after).toMatch(/^connect\.sid=/);
    expect(after).not.toBe(before);
  });
});
