// A self-asserted passkey must not reach AAL3: signed in with a password and one SMS code (AAL2),
// an attacker registers a software authenticator that claims to be device-bound and to verify
// the user, with no attestation, and must not pass an enterprise tenant's AAL3 admin grant with it.
import { createCheckpoint, MemoryStore, outboxChannel } from '@checkpoint/core';
import { ManualClock } from '@checkpoint/core/testing';
import { ENTERPRISE_PRESET, factor, type TenantPolicy } from '@checkpoint/policy';
import { createWebAuthn, MemoryCredentialRepository } from '@checkpoint/webauthn';
import { SoftwareAuthenticator } from '@checkpoint/webauthn/testing';
import express from 'express';
import session from 'express-session';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createStepUp } from './createStepUp.js';
import { recordFactor } from './recordFactor.js';

const ORIGIN = 'https://console.acme.example';
const TENANT: TenantPolicy = { id: 'bigcorp', stepUp: { ...ENTERPRISE_PRESET } };

function app() {
  const clock = new ManualClock();
  const store = new MemoryStore();
  const stepUp = createStepUp({
    checkpoint: createCheckpoint({
      secret: 'attestation-finding-secret-0123456789abcdef',
      channels: [outboxChannel({ name: 'sms' })],
      store,
      clock,
    }),
    destination: () => '+14155550100',
    tenantPolicy: () => TENANT,
    now: () => clock.now(),
    webauthn: createWebAuthn({
      rpID: 'console.acme.example',
      rpName: 'Acme Console',
      origins: [ORIGIN],
      store,
      credentials: new MemoryCredentialRepository(),
      now: () => clock.now(),
    }),
  });
  const server = express();
  server.use(express.json());
  server.use(session({ secret: 'cookie', resave: false, saveUninitialized: false }));
  server.post('/login', (req, res, next) => {
    const options = { userId: 'mallory', tenantId: TENANT.id, tenant: TENANT, now: clock.now() };
    recordFactor(req, factor('pwd', { at: clock.now() }), options)
      .then(() => recordFactor(req, factor('otp-sms', { at: clock.now(), codeLength: 6 }), options))
      .then(() => res.json({ ok: true }))
      .catch(next);
  });
  server.use('/auth/step-up', stepUp.router);
  server.post('/admin/roles', stepUp.requireCheckpoint('admin_role_grant'), (_req, res) => {
    res.json({ granted: true });
  });
  return server;
}

describe('a passkey that only claims to be device-bound', () => {
  it('enrolled from an AAL2 session with no attestation, never passes an AAL3 admin grant', async () => {
    const agent = request.agent(app());
    await agent.post('/login').send({}).expect(200);
    // Claims BE=0 (device-bound) and UV, proves neither: "none" attestation.
    const claimer = new SoftwareAuthenticator({ origin: ORIGIN });

    const creation = await agent.post('/auth/step-up/passkeys/register/options').send({});
    const enrolled = await agent
      .post('/auth/step-up/passkeys/register/verify')
      .send({ response: claimer.register(creation.body as never) });
    expect(enrolled.status).toBe(201);

    const options = await agent.post('/auth/step-up/admin_role_grant/webauthn/options').send({});
    const stepped = await agent
      .post('/auth/step-up/admin_role_grant/webauthn/verify')
      .send({ response: claimer.authenticate(options.body as never) });
    // Still a phishing-resistant passkey, at AAL2: not enough for the admin grant.
    expect(stepped.body).toMatchObject({ status: 'approved', satisfied: false, aal: 2 });
    const grant = await agent.post('/admin/roles').send({});
    expect(grant.status).toBe(401);
    expect(grant.body).toMatchObject({ error: 'step_up_required', aal: 3 });
  });
});
