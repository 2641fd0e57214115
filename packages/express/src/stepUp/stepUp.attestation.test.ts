// Binding an AAL3 passkey through the step-up router: proven hardware (a packed attestation
// checked against FIDO metadata), bound from an AAL3 session or with an out-of-band approval,
// announced and audited; anything less counts at AAL2.
import { type AuditEvent, createCheckpoint, MemoryStore, outboxChannel } from '@checkpoint/core';
import { ManualClock } from '@checkpoint/core/testing';
import { ENTERPRISE_PRESET, factor, type TenantPolicy } from '@checkpoint/policy';
import {
  type Aal3Candidate,
  createFidoMetadata,
  createWebAuthn,
  MemoryCredentialRepository,
} from '@checkpoint/webauthn';
import {
  type AttestationFormat,
  createTestMetadata,
  SoftwareAuthenticator,
} from '@checkpoint/webauthn/testing';
import express from 'express';
import session from 'express-session';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createStepUp } from './createStepUp.js';
import { recordFactor } from './recordFactor.js';
import type { ContactNotice } from './StepUpOptions.js';

const ORIGIN = 'https://console.acme.example';
const TENANT: TenantPolicy = { id: 'bigcorp', stepUp: { ...ENTERPRISE_PRESET } };
const KEY_MODEL = '2fc0579f-8113-47ea-b116-bb5a8db9202a';
const fido = createTestMetadata({ authenticators: [{ aaguid: KEY_MODEL }] });
type Agent = ReturnType<typeof request.agent>;
type Body = Record<string, unknown>;

/** A security key of the model the metadata lists with hardware-protected keys. */
const securityKey = (attestation = fido.attestation(KEY_MODEL)) =>
  new SoftwareAuthenticator({ origin: ORIGIN, aaguid: KEY_MODEL, attestation });

async function setup({ blob = fido.blob() } = {}) {
  const clock = new ManualClock();
  const store = new MemoryStore();
  const notices: ContactNotice[] = [];
  const metadata = createFidoMetadata({
    source: { read: () => Promise.resolve(blob) },
    roots: [fido.root.pem],
    now: () => clock.now(),
  });
  await metadata.refresh();
  // The help desk's approvals: one binding each, recorded out of band.
  const approvals = new Set<string>();
  const asked: Aal3Candidate[] = [];
  const checkpoint = createCheckpoint({
    secret: 'attestation-router-secret-0123456789abcdef',
    channels: [outboxChannel({ name: 'sms' })],
    store,
    clock,
  });
  const stepUp = createStepUp({
    checkpoint,
    destination: () => '+14155550100',
    tenantPolicy: () => TENANT,
    now: () => clock.now(),
    appName: 'Acme Console',
    notify: async (notice) => {
      notices.push(notice);
    },
    webauthn: createWebAuthn({
      rpID: 'console.acme.example',
      rpName: 'Acme Console',
      origins: [ORIGIN],
      store,
      credentials: new MemoryCredentialRepository(),
      now: () => clock.now(),
      metadata,
      approveAal3Enrolment: (candidate) => {
        asked.push(candidate);
        return approvals.delete(candidate.userId) ? { approvedBy: 'it-admin u_7' } : undefined;
      },
    }),
  });
  const app = express();
  app.use(express.json());
  app.use(session({ secret: 'cookie', resave: false, saveUninitialized: false }));
  // Password + one SMS code: an AAL2 session.
  app.post('/login', (req, res, next) => {
    const options = { userId: 'alice', tenantId: TENANT.id, tenant: TENANT, now: clock.now() };
    recordFactor(req, factor('pwd', { at: clock.now() }), options)
      .then(() => recordFactor(req, factor('otp-sms', { at: clock.now(), codeLength: 6 }), options))
      .then(() => res.json({ ok: true }))
      .catch(next);
  });
  app.use('/auth/step-up', stepUp.router);
  app.post('/admin/roles', stepUp.requireCheckpoint('admin_role_grant'), (_req, res) => {
    res.json({ granted: true });
  });
  const enrolments = async (): Promise<AuditEvent[]> => {
    const events: AuditEvent[] = [];
    for await (const event of checkpoint.auditLog.query({
      tenantId: TENANT.id,
      types: ['factor.enrolled'],
    })) {
      events.push(event);
    }
    return events;
  };
  const agent = request.agent(app);
  await agent.post('/login').send({}).expect(200);
  return { agent, notices, approvals, asked, enrolments };
}

async function enrol(agent: Agent, device: SoftwareAuthenticator, attestation?: AttestationFormat) {
  const options = await agent.post('/auth/step-up/passkeys/register/options').send({});
  expect(options.status).toBe(200);
  const overrides = attestation === undefined ? {} : { attestation };
  return agent
    .post('/auth/step-up/passkeys/register/verify')
    .send({ response: device.register(options.body as never, overrides) });
}

async function adminGrantWith(agent: Agent, device: SoftwareAuthenticator) {
  const options = await agent.post('/auth/step-up/admin_role_grant/webauthn/options').send({});
  const stepped = await agent
    .post('/auth/step-up/admin_role_grant/webauthn/verify')
    .send({ response: device.authenticate(options.body as never) });
  const grant = await agent.post('/admin/roles').send({});
  return { stepped: stepped.body as Body, granted: grant.status === 200 };
}

describe('passkey enrolment with attestation', () => {
  it('asks the browser for direct attestation', async () => {
    const { agent } = await setup();
    const options = await agent.post('/auth/step-up/passkeys/register/options').send({});
    expect(options.body).toMatchObject({ attestation: 'direct' });
  });

  it('keeps a proven hardware key enrolled from an AAL2 session at AAL2 without an approval', async () => {
    const { agent, notices, asked, enrolments } = await setup();
    const key = securityKey();
    const enrolled = await enrol(agent, key);
    expect(enrolled.status).toBe(201);
    expect(enrolled.body).toMatchObject({ deviceType: 'singleDevice', attested: true, maxAal: 2 });
    expect(asked).toEqual([expect.objectContaining({ userId: 'alice', first: true })]);
    expect(notices.map((notice) => notice.text)).toEqual([
      'A passkey was added to Acme Console. If this was not you, contact support now.',
    ]);
    expect((await enrolments())[0]).toMatchObject({
      result: 'webauthn',
      data: { userId: 'alice', maxAal: 2, attestation: 'metadata', aaguid: KEY_MODEL },
    });

    const { stepped, granted } = await adminGrantWith(agent, key);
    expect(stepped).toMatchObject({ status: 'approved', satisfied: false, aal: 2 });
    expect(granted).toBe(false);
  });

  it('binds the first AAL3 key with the help desk’s approval: announced and audited as such, and it opens the admin grant', async () => {
    const { agent, notices, approvals, enrolments } = await setup();
    approvals.add('alice');
    const key = securityKey();
    const enrolled = await enrol(agent, key);
    expect(enrolled.body).toMatchObject({ attested: true, maxAal: 3 });
    expect(approvals.size).toBe(0); // spent
    expect(notices).toEqual([
      expect.objectContaining({
        userId: 'alice',
        changedTo: 'a new passkey',
        text: 'A passkey was added to Acme Console, approved as your account’s first AAL3 authenticator (for admin actions). If this was not you, contact support now.',
      }),
    ]);
    expect((await enrolments())[0]).toMatchObject({
      type: 'factor.enrolled',
      tenantId: TENANT.id,
      data: { maxAal: 3, approvedBy: 'it-admin u_7', firstAal3: true },
    });

    const { stepped, granted } = await adminGrantWith(agent, key);
    expect(stepped).toMatchObject({ satisfied: true, aal: 3 });
    expect(granted).toBe(true);
  });

  it('binds a second key at AAL3 from the AAL3 session, without asking for an approval', async () => {
    const { agent, notices, approvals, asked, enrolments } = await setup();
    approvals.add('alice');
    const first = securityKey();
    await enrol(agent, first);
    await adminGrantWith(agent, first); // the session is at AAL3 now

    const spare = securityKey();
    const enrolled = await enrol(agent, spare);
    expect(enrolled.body).toMatchObject({ maxAal: 3 });
    expect(asked).toHaveLength(1);
    expect(notices.at(-1)?.text).toBe(
      'A passkey was added to Acme Console; it counts at AAL3 (for admin actions). If this was not you, contact support now.',
    );
    expect((await enrolments()).at(-1)).toMatchObject({
      data: { maxAal: 3, approvedBy: 'aal3-session', firstAal3: false },
    });
  });

  it.each<[string, AttestationFormat | undefined, () => SoftwareAuthenticator]>([
    ['no attestation', 'none', () => securityKey()],
    ['self attestation', 'self', () => securityKey()],
    [
      'an attestation chained to an unknown root',
      undefined,
      () =>
        securityKey(
          createTestMetadata({
            authenticators: [{ aaguid: KEY_MODEL }],
            name: 'Rogue',
          }).attestation(KEY_MODEL),
        ),
    ],
  ])('counts the same model with %s at AAL2, approval or not', async (_, attestation, device) => {
    const { agent, approvals, asked, enrolments } = await setup();
    approvals.add('alice');
    const key = device();
    const enrolled = await enrol(agent, key, attestation);
    expect(enrolled.body).toMatchObject({ attested: false, maxAal: 2 });
    expect(asked).toEqual([]);
    expect(approvals.has('alice')).toBe(true); // not spent on a key that cannot use it
    expect((await enrolments())[0]).toMatchObject({ data: { maxAal: 2, attestation: 'none' } });
    const { stepped, granted } = await adminGrantWith(agent, key);
    expect(stepped).toMatchObject({ satisfied: false, aal: 2 });
    expect(granted).toBe(false);
  });

  it('refuses a model the metadata reports REVOKED: nothing stored, announced or audited', async () => {
    const revoked = fido.blob({
      authenticators: [{ aaguid: KEY_MODEL, statusReports: [{ status: 'REVOKED' }] }],
    });
    const { agent, notices, approvals, enrolments } = await setup({ blob: revoked });
    approvals.add('alice');
    const enrolled = await enrol(agent, securityKey());
    expect(enrolled.status).toBe(401);
    expect(enrolled.body).toMatchObject({ error: 'authentication_failed' });
    expect(notices).toEqual([]);
    expect(await enrolments()).toEqual([]);
    const options = await agent.post('/auth/step-up/admin_role_grant/webauthn/options').send({});
    expect((options.body as { allowCredentials?: unknown[] }).allowCredentials).toEqual([]);
  });
});
