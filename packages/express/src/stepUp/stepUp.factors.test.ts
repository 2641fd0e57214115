import { type Channel, createCheckpoint, MemoryStore, outboxChannel } from '@checkpoint/core';
import { ManualClock } from '@checkpoint/core/testing';
import { createFactors, totpCode } from '@checkpoint/factors';
import { factor, type Method, type TenantPolicy } from '@checkpoint/policy';
import express from 'express';
import session from 'express-session';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createStepUp } from './createStepUp.js';
import { recordFactor } from './recordFactor.js';
import type { ContactNotice } from './StepUpOptions.js';

const SECRET = 'step-up-factor-tests-secret-0123456789abc';
type Body = Record<string, unknown>;
const body = (response: request.Response) => response.body as Body;

function setup(tenant: TenantPolicy = { id: 'acme' }) {
  const clock = new ManualClock();
  const notices: ContactNotice[] = [];
  const store = new MemoryStore();
  // The tenant exists in core, as configure(tenant.id, {}) would make it (MemoryStore stores
  // synchronously): remembered devices last its rememberDeviceDays.
  void store.setTenantConfig(tenant.id, {});
  const checkpoint = createCheckpoint({
    secret: SECRET,
    channels: [outboxChannel({ name: 'sms' })] as Channel[],
    store,
    clock,
  });
  const factors = createFactors({
    secret: SECRET,
    checkpoint,
    totp: { issuer: 'Acme Console' },
    devices: { secure: false },
    now: () => clock.now(),
  });
  const stepUp = createStepUp({
    checkpoint,
    factors,
    destination: () => '+14155550100',
    tenantPolicy: () => tenant,
    now: () => clock.now(),
    appName: 'Acme Console',
    notify: async (notice) => {
      notices.push(notice);
    },
  });
  const app = express();
  app.use(express.json());
  app.use(
    session({ secret: 'cookie-secret', resave: false, saveUninitialized: false, name: 'sid' }),
  );
  // The app's own sign-in: `methods` stands for whatever it checked (password, SMS code).
  app.post('/login', (req, res, next) => {
    const methods = (req.body as { methods: Method[] }).methods;
    void (async () => {
      for (const method of methods) {
        const proved =
          method === 'pwd'
            ? factor('pwd', { at: clock.now() })
            : factor(method, { at: clock.now(), codeLength: 6 });
        await recordFactor(req, proved, {
          userId: 'alice',
          tenantId: tenant.id,
          tenant,
          now: clock.now(),
        });
      }
      res.json({ ok: true });
    })().catch(next);
  });
  app.use('/auth/step-up', stepUp.router);
  return { app, agent: request.agent(app), clock, notices, factors };
}

async function signedInFresh() {
  const h = setup();
  await h.agent
    .post('/login')
    .send({ methods: ['pwd', 'otp-sms'] })
    .expect(200);
  return h;
}

async function withApp() {
  const h = await signedInFresh();
  const enrolment = body(
    await h.agent
      .post('/auth/step-up/factors/totp')
      .send({ accountName: 'alice@acme.example' })
      .expect(201),
  );
  const secret = enrolment.secret as string;
  const code = await totpCode({ secret, at: h.clock.now() });
  await h.agent
    .post('/auth/step-up/factors/totp/confirm')
    .send({ id: enrolment.id, code })
    .expect(201);
  await h.clock.advance(60_000);
  return { ...h, secret, codeNow: () => totpCode({ secret, at: h.clock.now() }) };
}

describe('factor enrolment routes', () => {
  it('answer a step-up challenge for factor_change without a fresh second factor', async () => {
    const { agent } = setup();
    await agent.post('/login').send({ methods: ['pwd'] });
    for (const [method, path] of [
      ['post', '/auth/step-up/factors/totp'],
      ['post', '/auth/step-up/factors/recovery-codes'],
      ['delete', '/auth/step-up/factors/totp'],
      ['post', '/auth/step-up/factors/devices'],
    ] as const) {
      const response = await agent[method](path).send({});
      expect(response.status).toBe(401);
      expect(body(response)).toMatchObject({
        error: 'step_up_required',
        checkpoint: 'factor_change',
        aal: 2,
      });
      expect(response.headers['www-authenticate']).toContain('insufficient_user_authentication');
    }
  });

  it('answer 401 login_required to a visitor', async () => {
    const { agent } = setup();
    expect((await agent.get('/auth/step-up/factors')).status).toBe(401);
  });

  it('enrol an authenticator app with a QR code, confirm it with a first code and tell the user', async () => {
    const { agent, clock, notices } = await signedInFresh();
    const started = await agent
      .post('/auth/step-up/factors/totp')
      .send({ accountName: 'alice@acme.example' });
    expect(started.status).toBe(201);
    expect(started.headers['cache-control']).toBe('no-store');
    expect(body(started)).toMatchObject({
      id: expect.stringMatching(/^totp_/) as unknown,
      uri: expect.stringMatching(
        /^otpauth:\/\/totp\/Acme%20Console:alice%40acme\.example\?/,
      ) as unknown,
      qrSvg: expect.stringMatching(/^<svg/) as unknown,
    });
    const wrong = await agent
      .post('/auth/step-up/factors/totp/confirm')
      .send({ id: body(started).id, code: '000000' });
    expect(body(wrong)).toEqual({ status: 'failed' });
    const code = await totpCode({ secret: body(started).secret as string, at: clock.now() });
    const confirmed = await agent
      .post('/auth/step-up/factors/totp/confirm')
      .send({ id: body(started).id, code });
    expect(confirmed.status).toBe(201);
    expect(notices).toEqual([
      expect.objectContaining({
        userId: 'alice',
        to: '+14155550100',
        text: expect.stringContaining('An authenticator app was added') as unknown,
      }),
    ]);
    expect(body(await agent.get('/auth/step-up/factors'))).toMatchObject({
      totp: { enrolled: true },
    });
  });

  it('remove the app behind a fresh step-up, and tell the user', async () => {
    const { agent, clock, notices } = await withApp();
    await clock.advance(10 * 60_000);
    expect((await agent.delete('/auth/step-up/factors/totp')).status).toBe(401);
    await agent.post('/login').send({ methods: ['pwd', 'otp-sms'] });
    expect((await agent.delete('/auth/step-up/factors/totp')).status).toBe(204);
    expect(notices.at(-1)?.text).toContain('An authenticator app was removed');
  });
});

describe('step-up with an authenticator app', () => {
  it('satisfies billing_change with a fresh password and refuses the same code again', async () => {
    const { agent, clock, codeNow } = await withApp();
    await clock.advance(10 * 60_000);
    await agent.post('/login').send({ methods: ['pwd'] });
    const before = (await agent.get('/auth/step-up/billing_change')).body as Body;
    expect(before).toMatchObject({
      satisfied: false,
      methods: expect.arrayContaining(['totp']) as unknown,
    });
    const code = await codeNow();
    const first = await agent.post('/auth/step-up/billing_change/totp/verify').send({ code });
    expect(body(first)).toMatchObject({ status: 'approved', satisfied: true });
    const replay = await agent.post('/auth/step-up/billing_change/totp/verify').send({ code });
    expect(body(replay)).toEqual({ status: 'failed' });
  });

  it('answers 400 to a body without a code', async () => {
    const { agent } = await withApp();
    const response = await agent
      .post('/auth/step-up/billing_change/totp/verify')
      .send({ code: 123456 });
    expect(response.status).toBe(400);
    expect(body(response)).toMatchObject({ error: 'invalid_request' });
  });
});

describe('recovery codes through the step-up router', () => {
  it('are shown once, satisfy login, are announced, and never satisfy an AAL3 checkpoint', async () => {
    const tenant: TenantPolicy = {
      id: 'acme',
      stepUp: {
        vault_open: { aal: 3, maxAgeSeconds: 300, methods: ['webauthn', 'pwd', 'recovery-code'] },
      },
    };
    const h = setup(tenant);
    await h.agent.post('/login').send({ methods: ['pwd', 'otp-sms'] });
    const made = await h.agent.post('/auth/step-up/factors/recovery-codes');
    expect(made.status).toBe(201);
    expect(made.headers['cache-control']).toBe('no-store');
    const codes = body(made).codes as string[];
    expect(codes).toHaveLength(10);
    const used = await h.agent
      .post('/auth/step-up/vault_open/recovery-code/verify')
      .send({ code: codes[0] });
    expect(body(used)).toMatchObject({ status: 'approved', satisfied: false, remaining: 9 });
    expect(h.notices.at(-1)?.text).toContain('A recovery code was used (9 left)');
    const again = await h.agent
      .post('/auth/step-up/login/recovery-code/verify')
      .send({ code: codes[0] });
    expect(body(again)).toEqual({ status: 'failed' });
    const login = await h.agent
      .post('/auth/step-up/login/recovery-code/verify')
      .send({ code: codes[1] });
    expect(body(login)).toMatchObject({ status: 'approved', satisfied: true, remaining: 8 });
  });
});

describe('remembered devices through the step-up router', () => {
  it('set an HttpOnly cookie after a fresh second factor, list and revoke the device', async () => {
    const { agent } = await signedInFresh();
    const remembered = await agent
      .post('/auth/step-up/factors/devices')
      .set('User-Agent', 'Firefox on Linux');
    expect(remembered.status).toBe(201);
    const cookie = (remembered.headers['set-cookie'] as unknown as string[]).find((c) =>
      c.startsWith('cp_device_'),
    );
    expect(cookie).toMatch(/; Path=\/; Expires=.*; HttpOnly; SameSite=Lax$/);
    const id = body(remembered).id as string;
    expect(body(await agent.get('/auth/step-up/factors')).devices).toEqual([
      expect.objectContaining({ id, label: 'Firefox on Linux' }),
    ]);
    const revoked = await agent.delete(`/auth/step-up/factors/devices/${id}`);
    expect(revoked.status).toBe(204);
    // This browser was the one revoked: its cookie goes too.
    expect(revoked.headers['set-cookie']).toEqual([
      expect.stringMatching(
        /^cp_device_[^=]+=; Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax$/,
      ),
    ]);
    expect((await agent.delete(`/auth/step-up/factors/devices/${id}`)).status).toBe(404);
    const all = await agent.delete('/auth/step-up/factors/devices');
    expect(body(all)).toEqual({ revoked: 0 });
    expect(all.headers['set-cookie']).toEqual([
      expect.stringMatching(/^cp_device_[^=]+=; Path=\/; Expires=Thu, 01 Jan 1970/),
    ]);
  });

  it('keeps the cookie of this browser when another of its devices is revoked', async () => {
    const h = await signedInFresh();
    const here = body(await h.agent.post('/auth/step-up/factors/devices')).id as string;
    const elsewhere = request.agent(h.app);
    await elsewhere
      .post('/login')
      .send({ methods: ['pwd', 'otp-sms'] })
      .expect(200);
    const otherId = body(await elsewhere.post('/auth/step-up/factors/devices')).id as string;
    expect(otherId).not.toBe(here);
    const revoked = await h.agent.delete(`/auth/step-up/factors/devices/${otherId}`);
    expect(revoked.status).toBe(204);
    expect(revoked.headers['set-cookie']).toBeUndefined();
  });
});
