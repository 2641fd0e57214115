import { type Channel, createCheckpoint, MemoryStore, outboxChannel } from '@checkpoint/core';
import { ManualClock } from '@checkpoint/core/testing';
import { CHECKPOINTS, ENTERPRISE_PRESET, factor, type TenantPolicy } from '@checkpoint/policy';
import express from 'express';
import session from 'express-session';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createStepUp } from './createStepUp.js';
import type { ContactNotice } from './StepUpOptions.js';
import { recordFactor } from './recordFactor.js';

const PHONE = '+14155550100';

/** A response's JSON body, typed for property access. */
const body = (response: request.Response): Record<string, unknown> =>
  response.body as Record<string, unknown>;
const SECRET = 'step-up-tests-secret-0123456789abcdefghij';

function setup(tenant: TenantPolicy = { id: 'acme' }) {
  const clock = new ManualClock();
  const notices: ContactNotice[] = [];
  let phoneOnFile = PHONE;
  const sms = outboxChannel({ name: 'sms' });
  const checkpoint = createCheckpoint({
    secret: SECRET,
    channels: [sms] as Channel[],
    store: new MemoryStore(),
    clock,
  });
  const stepUp = createStepUp({
    checkpoint,
    destination: () => phoneOnFile,
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
  app.post('/login', (req, res, next) => {
    // The password check itself is the app's; here any password for 'alice' is right.
    recordFactor(req, factor('pwd', { at: clock.now() }), {
      userId: 'alice',
      tenantId: tenant.id,
      tenant,
      now: clock.now(),
    })
      .then(() => res.json({ ok: true }))
      .catch(next);
  });
  app.post('/login/otp-only', (req, res, next) => {
    recordFactor(req, factor('otp-sms', { at: clock.now(), codeLength: 6 }), {
      userId: 'alice',
      tenantId: tenant.id,
      tenant,
      now: clock.now(),
    })
      .then(() => res.json({ ok: true }))
      .catch(next);
  });
  // A session written by another writer (e.g. @checkpoint/passport's completeLogin): no timing fields.
  app.post('/login/external', (req, res) => {
    (req.session as unknown as Record<string, unknown>).checkpoint = {
      userId: 'alice',
      tenantId: tenant.id,
      factors: [
        factor('pwd', { at: clock.now() }),
        factor('otp-sms', { at: clock.now(), codeLength: 6 }),
      ],
    };
    res.json({ ok: true });
  });
  app.use('/auth/step-up', stepUp.router);
  for (const name of Object.keys(CHECKPOINTS)) {
    app.get(`/guarded/${name}`, stepUp.requireCheckpoint(name), (_req, res) => {
      res.json({ ok: name });
    });
  }
  app.post(
    '/billing/card',
    stepUp.requireCheckpoint('billing_change', {
      bind: (req) => req.body as unknown,
      describe: (fields) =>
        `changing the billing card to …${String((fields as { last4?: string }).last4)}`,
    }),
    (req, res) => {
      res.json({ changed: (req.body as { last4: string }).last4 });
    },
  );
  app.post(
    '/account/phone',
    stepUp.requireCheckpoint('contact_change', {
      bind: (req) => ({ phone: (req.body as { phone?: string }).phone }),
    }),
    (req, res, next) => {
      const previous = phoneOnFile;
      phoneOnFile = (req.body as { phone: string }).phone;
      stepUp
        .contactChanged(req, { previous, current: phoneOnFile })
        .then(() => res.json({ phone: phoneOnFile }))
        .catch(next);
    },
  );
  const agent = request.agent(app);
  const cookie = (response: request.Response): string => {
    const header: unknown = response.headers['set-cookie'];
    const cookies = Array.isArray(header) ? (header as string[]) : [];
    return cookies.find((entry) => entry.startsWith('sid='))?.split(';')[0] ?? '';
  };
  const stepUpWithOtp = async (name: string, returnTo?: string) => {
    const started = await agent.post(`/auth/step-up/${name}/otp/start`).send({});
    expect(started.status).toBe(202);
    const code = sms.latest(PHONE)?.code ?? '';
    return agent.post(`/auth/step-up/${name}/otp/verify`).send({
      id: String(body(started).id),
      code,
      ...(returnTo === undefined ? {} : { returnTo }),
    });
  };
  return { app, agent, clock, sms, checkpoint, stepUpWithOtp, cookie, notices };
}

describe('requireCheckpoint', () => {
  const aal2 = Object.values(CHECKPOINTS).filter((checkpoint) => checkpoint.aal === 2);

  it.each(aal2.map((checkpoint) => [checkpoint.name, checkpoint.maxAgeSeconds] as const))(
    '%s: refused after a password alone, satisfied after an OTP step-up, refused again once older than its max age (%i s)',
    async (name, maxAgeSeconds) => {
      const { agent, clock, stepUpWithOtp } = setup();
      await agent.post('/login').send({}).expect(200);
      const refused = await agent.get(`/guarded/${name}`).set('Accept', 'application/json');
      expect(refused.status).toBe(401);
      expect(refused.body).toMatchObject({
        error: 'step_up_required',
        checkpoint: name,
        aal: 2,
        maxAge: maxAgeSeconds,
        stepUpUrl: `/auth/step-up/${name}`,
      });
      expect(body(refused).methods).toContain('otp-sms');
      expect(refused.get('www-authenticate')).toContain('error="insufficient_user_authentication"');
      expect(refused.get('www-authenticate')).toContain(`max_age="${maxAgeSeconds}"`);
      expect((await stepUpWithOtp(name)).body).toMatchObject({
        status: 'approved',
        satisfied: true,
      });
      await agent.get(`/guarded/${name}`).expect(200, { ok: name });
      // Within the session's inactivity limit (1 h at AAL2) but past the checkpoint's max age.
      clock.set(clock.now() + Math.min(maxAgeSeconds * 1_000 + 1, 59 * 60_000));
      if (maxAgeSeconds * 1_000 + 1 <= 59 * 60_000) {
        expect((await agent.get(`/guarded/${name}`).set('Accept', 'application/json')).status).toBe(
          401,
        );
      }
    },
  );

  it.each(['signup', 'password_reset'])(
    '%s: a password proves nothing here; a fresh code to the user’s phone does, for 10 minutes',
    async (name) => {
      const { agent, clock, stepUpWithOtp } = setup();
      await agent.post('/login').send({}).expect(200);
      const refused = await agent.get(`/guarded/${name}`).set('Accept', 'application/json');
      expect(refused.status).toBe(401);
      expect(body(refused)).toMatchObject({ aal: 1, maxAge: 600 });
      expect(body(refused).methods).toContain('otp-sms');
      expect(body(refused).methods).not.toContain('pwd');
      await stepUpWithOtp(name);
      await agent.get(`/guarded/${name}`).expect(200);
      clock.set(clock.now() + 600_001);
      expect((await agent.get(`/guarded/${name}`).set('Accept', 'application/json')).status).toBe(
        401,
      );
    },
  );

  it('sends no code for an enterprise tenant’s passkey-only (AAL3) admin_role_grant, and offers only methods this app has', async () => {
    const { agent, sms } = setup({ id: 'bigco', stepUp: { ...ENTERPRISE_PRESET } });
    await agent.post('/login').send({}).expect(200);
    const start = await agent.post('/auth/step-up/admin_role_grant/otp/start').send({});
    expect(start.status).toBe(400);
    expect(body(start)).toMatchObject({ error: 'invalid_request' });
    expect(sms.messages).toHaveLength(0);
    const refused = await agent.get('/guarded/admin_role_grant').set('Accept', 'application/json');
    expect(refused.status).toBe(401);
    // Passkeys are not configured in this app: nothing it can offer meets the checkpoint.
    expect(refused.body).toMatchObject({ aal: 3, methods: [] });
    expect(refused.get('www-authenticate')).toContain('acr_values="urn:checkpoint:aal3 phrh"');
  });

  it('answers 401 login_required without a signed-in user, on guarded routes and on the step-up routes', async () => {
    const { agent } = setup();
    await agent
      .post('/auth/step-up/billing_change/otp/start')
      .send({})
      .expect(401, { error: 'login_required', message: 'sign in first' });
    await agent
      .get('/guarded/billing_change')
      .expect(401)
      .expect((response) => expect(body(response).error).toBe('login_required'));
  });

  it('holds a passwordless sign-in to the login checkpoint: one SMS code is not AAL2', async () => {
    const { agent, stepUpWithOtp } = setup();
    await agent.post('/login/otp-only').send({}).expect(200);
    const refused = await agent.get('/guarded/login').set('Accept', 'application/json');
    expect(refused.status).toBe(401);
    // A second SMS code is the same kind of factor: still not AAL2.
    await stepUpWithOtp('login');
    expect((await agent.get('/guarded/login').set('Accept', 'application/json')).status).toBe(401);
  });

  it('redirects a browser to the step-up page with a returnTo inside the app', async () => {
    const { agent } = setup();
    await agent.post('/login').send({}).expect(200);
    const response = await agent.get('/guarded/data_export?format=csv').set('Accept', 'text/html');
    expect(response.status).toBe(303);
    expect(response.get('location')).toBe(
      `/step-up?checkpoint=data_export&returnTo=${encodeURIComponent('/guarded/data_export?format=csv')}`,
    );
  });

  it('never hands back an external returnTo after a step-up', async () => {
    const { agent, stepUpWithOtp } = setup();
    await agent.post('/login').send({}).expect(200);
    expect(body(await stepUpWithOtp('data_export', 'https://evil.example/phish')).returnTo).toBe(
      '/',
    );
    expect(body(await stepUpWithOtp('data_export', '//evil.example')).returnTo).toBe('/');
    expect(body(await stepUpWithOtp('data_export', '/exports?ok=1')).returnTo).toBe(
      '/exports?ok=1',
    );
  });
});

describe('sessions written elsewhere', () => {
  it('accepts an AuthState without timing fields, timing it from its latest factor', async () => {
    const { agent, clock } = setup();
    await agent.post('/login/external').send({}).expect(200);
    await agent.get('/guarded/billing_change').expect(200);
    clock.set(clock.now() + 60 * 60_000 + 1);
    expect(body(await agent.get('/guarded/login').set('Accept', 'application/json')).error).toBe(
      'session_expired',
    );
  });
});

describe('session fixation', () => {
  it('gives the session a new id when assurance rises, and the old id carries nothing', async () => {
    const { app, agent, cookie, sms } = setup();
    const login = await agent.post('/login').send({});
    const afterLogin = cookie(login);
    expect(afterLogin).not.toBe('');
    const started = await agent.post('/auth/step-up/billing_change/otp/start').send({});
    const verified = await agent
      .post('/auth/step-up/billing_change/otp/verify')
      .send({ id: String(body(started).id), code: sms.latest(PHONE)?.code ?? '' });
    const afterStepUp = cookie(verified);
    expect(afterStepUp).not.toBe('');
    expect(afterStepUp).not.toBe(afterLogin);
    // The id from before the step-up is worthless now.
    const withOldId = await request(app)
      .get('/guarded/billing_change')
      .set('Cookie', afterLogin)
      .set('Accept', 'application/json');
    expect(withOldId.status).toBe(401);
    expect(body(withOldId).error).toBe('login_required');
    await agent.get('/guarded/billing_change').expect(200);
  });

  it('gives the session a new id on a re-authentication that does not raise assurance', async () => {
    const { app, agent, cookie, stepUpWithOtp } = setup();
    await agent.post('/login').send({}).expect(200);
    const first = cookie(await stepUpWithOtp('audit_log_access'));
    const again = cookie(await stepUpWithOtp('audit_log_access'));
    expect(first).not.toBe('');
    expect(again).not.toBe('');
    expect(again).not.toBe(first);
    const withOldId = await request(app)
      .get('/guarded/audit_log_access')
      .set('Cookie', first)
      .set('Accept', 'application/json');
    expect(withOldId.status).toBe(401);
    await agent.get('/guarded/audit_log_access').expect(200);
  });
});

describe('step-up bound to the action', () => {
  it('approves exactly the payload it was made for, once, and says what it approves in the message', async () => {
    const { agent, sms, stepUpWithOtp } = setup();
    await agent.post('/login').send({}).expect(200);
    const first = await agent.post('/billing/card').send({ last4: '4242', holder: 'Alice' });
    expect(first.status).toBe(401);
    expect(body(first).binding).toEqual({ summary: 'changing the billing card to …4242' });
    await stepUpWithOtp('billing_change');
    expect(sms.latest(PHONE)?.text).toMatch(/^\d{6} approves changing the billing card to …4242\./);
    // Another payload is not what was approved.
    expect(
      (await agent.post('/billing/card').send({ last4: '6666', holder: 'Mallory' })).status,
    ).toBe(401);
  });

  it('lets the approved payload through once (key order does not matter), then asks again', async () => {
    const { agent, stepUpWithOtp } = setup();
    await agent.post('/login').send({}).expect(200);
    await agent.post('/billing/card').send({ last4: '4242', holder: 'Alice' }).expect(401);
    await stepUpWithOtp('billing_change');
    await agent
      .post('/billing/card')
      .send({ holder: 'Alice', last4: '4242' })
      .expect(200, { changed: '4242' });
    await agent.post('/billing/card').send({ last4: '4242', holder: 'Alice' }).expect(401);
  });
});

describe('changing the phone number', () => {
  it('needs a fresh step-up bound to the new number, then tells the previous number', async () => {
    const { agent, stepUpWithOtp, notices, sms } = setup();
    await agent.post('/login').send({}).expect(200);
    await agent.post('/account/phone').send({ phone: '+14155559999' }).expect(401);
    // The code goes to the number on file, not to the new one.
    await stepUpWithOtp('contact_change');
    expect(sms.latest(PHONE)).toBeDefined();
    expect(sms.latest('+14155559999')).toBeUndefined();
    await agent
      .post('/account/phone')
      .send({ phone: '+14155559999' })
      .expect(200, { phone: '+14155559999' });
    expect(notices).toEqual([
      {
        userId: 'alice',
        to: PHONE,
        changedTo: '+*********99',
        text: 'The phone number on Acme Console was changed to +*********99. If this was not you, contact support now.',
      },
    ]);
  });
});

describe('session timeouts by assurance', () => {
  it('ends an AAL2 session after an hour without activity', async () => {
    const { agent, clock, stepUpWithOtp } = setup();
    await agent.post('/login').send({}).expect(200);
    await stepUpWithOtp('audit_log_access');
    await agent.get('/guarded/audit_log_access').expect(200);
    clock.set(clock.now() + 60 * 60_000 + 1);
    const expired = await agent.get('/guarded/audit_log_access').set('Accept', 'application/json');
    expect(expired.status).toBe(401);
    expect(body(expired).error).toBe('session_expired');
    expect(
      body(await agent.get('/guarded/audit_log_access').set('Accept', 'application/json')).error,
    ).toBe('login_required');
  });
});
