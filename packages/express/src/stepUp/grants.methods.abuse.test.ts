// Threat: a passkey, authenticator-app or recovery-code step-up that approves an action swapped in after it started.
import { type Channel, createCheckpoint, MemoryStore, outboxChannel } from '@checkpoint/core';
import { ManualClock } from '@checkpoint/core/testing';
import { createFactors, totpCode } from '@checkpoint/factors';
import { factor } from '@checkpoint/policy';
import { createWebAuthn, MemoryCredentialRepository } from '@checkpoint/webauthn';
import { SoftwareAuthenticator } from '@checkpoint/webauthn/testing';
import express from 'express';
import session from 'express-session';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { errorHandler } from '../errors/errorHandler.js';
import { createStepUp } from './createStepUp.js';
import { recordFactor } from './recordFactor.js';

const ORIGIN = 'https://console.acme.example';
const SECRET = 'step-up-binding-methods-secret-0123456789';
const tenant = { id: 'acme' };

async function setup() {
  const clock = new ManualClock();
  const store = new MemoryStore();
  const checkpoint = createCheckpoint({
    secret: SECRET,
    channels: [outboxChannel({ name: 'sms' })] as Channel[],
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
    webauthn,
    factors,
    destination: () => '+14155550100',
    tenantPolicy: () => tenant,
    now: () => clock.now(),
  });
  const payouts: string[] = [];
  const app = express();
  app.use(express.json());
  app.use(session({ secret: 'cookie', resave: false, saveUninitialized: false, name: 'sid' }));
  app.post('/login', (req, res, next) => {
    const options = { userId: 'alice', tenant, now: clock.now() };
    recordFactor(req, factor('pwd', { at: clock.now() }), options)
      .then(() => recordFactor(req, factor('otp-sms', { at: clock.now(), codeLength: 6 }), options))
      .then(() => res.json({ ok: true }))
      .catch(next);
  });
  app.use('/auth/step-up', stepUp.router);
  app.post(
    '/payouts',
    stepUp.requireCheckpoint('billing_change', {
      bind: (req) => ({ iban: (req.body as { iban: string }).iban }),
      describe: (fields) => `paying out to ${fields.iban}`,
    }),
    (req, res) => {
      payouts.push((req.body as { iban: string }).iban);
      res.json({ paid: true });
    },
  );
  app.use(errorHandler());
  const agent = request.agent(app);
  await agent.post('/login').send({}).expect(200);
  return { agent, clock, payouts };
}

const MINE = 'DE89370400440532013000';
const THEIRS = 'GB33BUKB20201555555555';

/** Asks for the payout to MINE (401), then has "the same session" swap it for THEIRS (401). */
async function swapAfter(agent: request.Agent, start: () => Promise<unknown>) {
  await agent.post('/payouts').set('Accept', 'application/json').send({ iban: MINE }).expect(401);
  const started = await start();
  await agent.post('/payouts').set('Accept', 'application/json').send({ iban: THEIRS }).expect(401);
  return started;
}

/** Enrols an authenticator app (a fresh factor_change holds after the login) and a minute passes. */
async function withAuthenticatorApp(agent: request.Agent, clock: ManualClock): Promise<string> {
  const enrolment = await agent
    .post('/auth/step-up/factors/totp')
    .send({ accountName: 'alice@acme.example' })
    .expect(201);
  const secret = (enrolment.body as { secret: string }).secret;
  await agent
    .post('/auth/step-up/factors/totp/confirm')
    .send({
      id: (enrolment.body as { id: string }).id,
      code: await totpCode({ secret, at: clock.now() }),
    })
    .expect(201);
  await clock.advance(60_000);
  return secret;
}

/** The swapped-in payout is refused; the one the step-up named goes through. */
async function onlyMineGoesThrough(agent: request.Agent): Promise<void> {
  await agent.post('/payouts').set('Accept', 'application/json').send({ iban: THEIRS }).expect(401);
  await agent.post('/payouts').send({ iban: MINE }).expect(200);
}

describe('a step-up grants only the action it started for', () => {
  it('passkey: the challenge carries the action, so a swap after the options gets action_changed', async () => {
    const { agent, payouts } = await setup();
    const device = new SoftwareAuthenticator({ origin: ORIGIN });
    const registration = await agent.post('/auth/step-up/passkeys/register/options').send({});
    await agent
      .post('/auth/step-up/passkeys/register/verify')
      .send({ response: device.register(registration.body as never) })
      .expect(201);
    const options = (await swapAfter(agent, () =>
      agent.post('/auth/step-up/billing_change/webauthn/options').send({}).expect(200),
    )) as request.Response;
    const verified = await agent
      .post('/auth/step-up/billing_change/webauthn/verify')
      .send({ response: device.authenticate(options.body as never) });
    expect(verified.body).toMatchObject({
      status: 'approved',
      satisfied: false,
      reason: 'action_changed',
    });
    await onlyMineGoesThrough(agent);
    expect(payouts).toEqual([MINE]);
  });

  it('authenticator app: begin fixes the action shown; a swap after it gets action_changed', async () => {
    const { agent, clock, payouts } = await setup();
    const secret = await withAuthenticatorApp(agent, clock);
    const begun = (await swapAfter(agent, () =>
      agent.post('/auth/step-up/billing_change/begin').send({}).expect(201),
    )) as request.Response;
    expect(begun.body).toMatchObject({ approving: `paying out to ${MINE}` });
    const verified = await agent.post('/auth/step-up/billing_change/totp/verify').send({
      code: await totpCode({ secret, at: clock.now() }),
      attempt: (begun.body as { attempt: string }).attempt,
    });
    expect(verified.body).toMatchObject({
      status: 'approved',
      satisfied: false,
      reason: 'action_changed',
    });
    await onlyMineGoesThrough(agent);
    expect(payouts).toEqual([MINE]);
  });

  it('authenticator app without an attempt: a code typed for an unnamed action grants nothing', async () => {
    const { agent, clock, payouts } = await setup();
    const secret = await withAuthenticatorApp(agent, clock);
    await agent
      .post('/payouts')
      .set('Accept', 'application/json')
      .send({ iban: THEIRS })
      .expect(401);
    const verified = await agent
      .post('/auth/step-up/billing_change/totp/verify')
      .send({ code: await totpCode({ secret, at: clock.now() }) });
    expect(verified.body).toMatchObject({
      status: 'approved',
      satisfied: false,
      reason: 'action_unconfirmed',
    });
    await agent
      .post('/payouts')
      .set('Accept', 'application/json')
      .send({ iban: THEIRS })
      .expect(401);
    expect(payouts).toEqual([]);
  });
});
