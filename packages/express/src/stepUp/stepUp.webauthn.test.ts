import { createCheckpoint, MemoryStore, outboxChannel } from '@checkpoint/core';
import { ManualClock } from '@checkpoint/core/testing';
import { ENTERPRISE_PRESET, factor, type TenantPolicy } from '@checkpoint/policy';
import { createWebAuthn, MemoryCredentialRepository } from '@checkpoint/webauthn';
import { createTestMetadata, SoftwareAuthenticator } from '@checkpoint/webauthn/testing';
import express from 'express';
import session from 'express-session';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createStepUp } from './createStepUp.js';
import { recordFactor } from './recordFactor.js';
import type { ContactNotice } from './StepUpOptions.js';

const ORIGIN = 'https://console.acme.example';
const SECRET = 'step-up-webauthn-secret-0123456789abcdefgh';
const body = (response: request.Response): Record<string, unknown> =>
  response.body as Record<string, unknown>;

/** An enterprise tenant: admin role grants need AAL3 (a device-bound passkey). */
const ENTERPRISE: TenantPolicy = { id: 'bigcorp', stepUp: { ...ENTERPRISE_PRESET } };

/** A hardware key model the tenant approves, with the attestation root its keys chain to. */
const KEY_MODEL = '2fc0579f-8113-47ea-b116-bb5a8db9202a';
const maker = createTestMetadata({ authenticators: [{ aaguid: KEY_MODEL }] });
/** A security key whose attestation proves that model: it can be bound at AAL3. */
const securityKey = () =>
  new SoftwareAuthenticator({
    origin: ORIGIN,
    aaguid: KEY_MODEL,
    attestation: maker.attestation(KEY_MODEL),
  });

function setup(tenant: TenantPolicy = ENTERPRISE) {
  const clock = new ManualClock();
  const notices: ContactNotice[] = [];
  const store = new MemoryStore();
  const checkpoint = createCheckpoint({
    secret: SECRET,
    channels: [outboxChannel({ name: 'sms' })],
    store,
    clock,
  });
  const webauthn = createWebAuthn({
    rpID: 'console.acme.example',
    rpName: 'Acme Console',
    origins: [ORIGIN],
    store,
    credentials: new MemoryCredentialRepository(),
    now: () => clock.now(),
    approvedAuthenticators: () => [{ aaguid: KEY_MODEL, roots: [maker.attestationRoot.pem] }],
    // The first AAL3 key, bound from this AAL2 session, needs an out-of-band approval.
    approveAal3Enrolment: () => ({ approvedBy: 'help desk' }),
  });
  const stepUp = createStepUp({
    checkpoint,
    destination: () => '+14155550100',
    tenantPolicy: () => tenant,
    now: () => clock.now(),
    webauthn,
    notify: async (notice) => {
      notices.push(notice);
    },
  });
  const app = express();
  app.use(express.json());
  app.use(session({ secret: 'cookie', resave: false, saveUninitialized: false, name: 'sid' }));
  // Password + SMS code: an AAL2 login (the checks themselves are the app's).
  app.post('/login', (req, res, next) => {
    const userId = (req.body as { user?: string }).user ?? 'alice';
    const options = { userId, tenantId: tenant.id, tenant, now: clock.now() };
    recordFactor(req, factor('pwd', { at: clock.now() }), options)
      .then(() => recordFactor(req, factor('otp-sms', { at: clock.now(), codeLength: 6 }), options))
      .then(() => res.json({ ok: true }))
      .catch(next);
  });
  app.use('/auth/step-up', stepUp.router);
  app.post('/admin/roles', stepUp.requireCheckpoint('admin_role_grant'), (_req, res) => {
    res.json({ granted: true });
  });
  return { app, clock, notices };
}

async function enrol(agent: ReturnType<typeof request.agent>, device: SoftwareAuthenticator) {
  const options = await agent.post('/auth/step-up/passkeys/register/options').send({});
  expect(options.status).toBe(200);
  return agent
    .post('/auth/step-up/passkeys/register/verify')
    .send({ response: device.register(options.body as never) });
}

async function stepUpWithPasskey(
  agent: ReturnType<typeof request.agent>,
  device: SoftwareAuthenticator,
  name = 'admin_role_grant',
) {
  const options = await agent.post(`/auth/step-up/${name}/webauthn/options`).send({});
  expect(options.status).toBe(200);
  return agent
    .post(`/auth/step-up/${name}/webauthn/verify`)
    .send({ response: device.authenticate(options.body as never), returnTo: '/admin' });
}

const sid = (response: request.Response) =>
  String(response.headers['set-cookie'] ?? '')
    .split(';')[0]
    ?.replace(/^sid=/, '');

describe('passkeys in the step-up router', () => {
  it('enrols a passkey (announced to the user), then passes an AAL3 admin grant with it', async () => {
    const { app, notices } = setup();
    const agent = request.agent(app);
    await agent.post('/login').send({}).expect(200);
    const device = securityKey();

    const enrolled = await enrol(agent, device);
    expect(enrolled.status).toBe(201);
    expect(body(enrolled)).toMatchObject({
      deviceType: 'singleDevice',
      backedUp: false,
      maxAal: 3,
    });
    expect(notices).toEqual([
      expect.objectContaining({ userId: 'alice', changedTo: 'a new passkey' }),
    ]);

    const refused = await agent.post('/admin/roles').send({});
    expect(refused.status).toBe(401);
    expect(body(refused)).toMatchObject({ error: 'step_up_required', aal: 3 });
    expect(body(refused).methods).toEqual(['webauthn']);

    const stepped = await stepUpWithPasskey(agent, device);
    expect(body(stepped)).toEqual({
      status: 'approved',
      satisfied: true,
      aal: 3,
      returnTo: '/admin',
    });
    await agent.post('/admin/roles').send({}).expect(200, { granted: true });
  });

  it('gives the session a new id when the passkey raises its assurance', async () => {
    const { app } = setup();
    const agent = request.agent(app);
    const login = await agent.post('/login').send({});
    const device = new SoftwareAuthenticator({ origin: ORIGIN });
    await enrol(agent, device);
    const stepped = await stepUpWithPasskey(agent, device);
    expect(sid(stepped)).toBeTruthy();
    expect(sid(stepped)).not.toBe(sid(login));
    // The id from before the step-up carries nothing elevated.
    const old = await request(app)
      .post('/admin/roles')
      .set('Cookie', `sid=${sid(login) ?? ''}`)
      .send({});
    expect(old.status).toBe(401);
  });

  it('refuses AAL3 to a synced passkey and to one without user verification', async () => {
    const { app } = setup();
    const agent = request.agent(app);
    await agent.post('/login').send({});
    const synced = new SoftwareAuthenticator({
      origin: ORIGIN,
      backupEligible: true,
      backupState: true,
    });
    await enrol(agent, synced);
    const stepped = await stepUpWithPasskey(agent, synced);
    expect(body(stepped)).toMatchObject({ status: 'approved', satisfied: false, aal: 2 });
    expect((await agent.post('/admin/roles').send({})).status).toBe(401);

    const presenceOnly = new SoftwareAuthenticator({ origin: ORIGIN });
    await enrol(agent, presenceOnly);
    const options = await agent.post('/auth/step-up/admin_role_grant/webauthn/options').send({});
    const noUv = await agent.post('/auth/step-up/admin_role_grant/webauthn/verify').send({
      response: presenceOnly.authenticate(options.body as never, { userVerified: false }),
    });
    expect(noUv.status).toBe(401);
    expect(body(noUv)).toMatchObject({ error: 'authentication_failed' });
    expect((await agent.post('/admin/roles').send({})).status).toBe(401);
  });

  it("refuses another user's passkey, and a replayed assertion", async () => {
    const { app } = setup();
    const bob = request.agent(app);
    await bob.post('/login').send({ user: 'bob' });
    const bobsDevice = new SoftwareAuthenticator({ origin: ORIGIN });
    await enrol(bob, bobsDevice);

    const alice = request.agent(app);
    await alice.post('/login').send({});
    const options = await alice.post('/auth/step-up/admin_role_grant/webauthn/options').send({});
    const stolen = await alice
      .post('/auth/step-up/admin_role_grant/webauthn/verify')
      .send({ response: bobsDevice.authenticate(options.body as never) });
    expect(stolen.status).toBe(401);
    expect((await alice.post('/admin/roles').send({})).status).toBe(401);

    const bobOptions = await bob.post('/auth/step-up/admin_role_grant/webauthn/options').send({});
    const assertion = bobsDevice.authenticate(bobOptions.body as never);
    await bob
      .post('/auth/step-up/admin_role_grant/webauthn/verify')
      .send({ response: assertion })
      .expect(200);
    const replay = await bob
      .post('/auth/step-up/admin_role_grant/webauthn/verify')
      .send({ response: assertion });
    expect(replay.status).toBe(401);
  });

  it('needs a fresh step-up to enrol a passkey, and refuses the admin grant after max age', async () => {
    const { app, clock } = setup();
    const agent = request.agent(app);
    await agent.post('/login').send({});
    const device = securityKey();
    await enrol(agent, device);
    await stepUpWithPasskey(agent, device);
    await agent.post('/admin/roles').send({}).expect(200);

    clock.set(clock.now() + 300_001); // admin_role_grant: within 5 minutes
    expect((await agent.post('/admin/roles').send({})).status).toBe(401);
    // The login factors are older than contact_change's 5 minutes: enrolment asks for a step-up.
    const second = await agent.post('/auth/step-up/passkeys/register/options').send({});
    expect(second.status).toBe(401);
    expect(body(second)).toMatchObject({ error: 'step_up_required', checkpoint: 'contact_change' });
  });

  it('answers 404 for passkey routes when no webauthn is configured, and 401 without a user', async () => {
    const { app } = setup();
    expect(
      (await request(app).post('/auth/step-up/admin_role_grant/webauthn/options')).status,
    ).toBe(401);
    const checkpoint = createCheckpoint({
      secret: SECRET,
      channels: [outboxChannel({ name: 'sms' })],
    });
    const plain = createStepUp({ checkpoint, destination: () => '+14155550100' });
    const other = express();
    other.use(express.json());
    other.use(session({ secret: 'c', resave: false, saveUninitialized: false }));
    other.post('/login', (req, res, next) => {
      recordFactor(req, factor('pwd', { at: Date.now() }), { userId: 'alice' })
        .then(() => res.json({ ok: true }))
        .catch(next);
    });
    other.use('/auth/step-up', plain.router);
    const agent = request.agent(other);
    await agent.post('/login').send({});
    const missing = await agent.post('/auth/step-up/login/webauthn/options').send({});
    expect(missing.status).toBe(404);
    expect(body(missing)).toMatchObject({ error: 'not_found' });
  });
});
