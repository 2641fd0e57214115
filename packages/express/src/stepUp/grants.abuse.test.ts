// Threat: a step-up grant swapped for another action, used more than once, or revived by a stale session copy.
import { ManualClock } from '@checkpoint/core/testing';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryBarrier } from './fixtures/barrier.js';
import { cookieOf, listening } from './fixtures/listening.js';
import { PHONE, stepUpApp } from './fixtures/stepUpApp.js';

const VISA = '4111111111111111';
const MASTERCARD = '5555555555555100';

const { listen, closeAll } = listening();
afterEach(closeAll);

/** Signs in and steps up for `card`: resolves with the session cookie after the code was verified. */
async function steppedUpFor(fixture: ReturnType<typeof stepUpApp>, card: string) {
  const agent = request.agent(fixture.app);
  await agent.post('/login').send({}).expect(200);
  await agent.post('/billing').set('Accept', 'application/json').send({ card }).expect(401);
  const started = await agent.post('/auth/step-up/billing_change/otp/start').send({}).expect(202);
  const verified = await agent
    .post('/auth/step-up/billing_change/otp/verify')
    .send({ id: (started.body as { id: string }).id, code: fixture.sms.latest(PHONE)?.code });
  expect(verified.body).toMatchObject({ status: 'approved', satisfied: true });
  return { agent, cookie: cookieOf(verified) };
}

describe('a step-up grant is bound to the action its message named', () => {
  it('grants nothing for an action swapped in after the code was sent, and says action_changed', async () => {
    const fixture = stepUpApp();
    const agent = request.agent(fixture.app);
    await agent.post('/login').send({}).expect(200);
    await agent.post('/billing').set('Accept', 'application/json').send({ card: VISA }).expect(401);
    const started = await agent.post('/auth/step-up/billing_change/otp/start').send({});
    expect(fixture.sms.latest(PHONE)?.text).toContain('…1111');
    // The same session (an XSS, an extension) swaps the pending action before the code is typed.
    await agent
      .post('/billing')
      .set('Accept', 'application/json')
      .send({ card: MASTERCARD })
      .expect(401);
    const verified = await agent
      .post('/auth/step-up/billing_change/otp/verify')
      .send({ id: (started.body as { id: string }).id, code: fixture.sms.latest(PHONE)?.code });
    expect(verified.body).toMatchObject({
      status: 'approved',
      satisfied: false,
      reason: 'action_changed',
    });
    await agent
      .post('/billing')
      .set('Accept', 'application/json')
      .send({ card: MASTERCARD })
      .expect(401);
    expect(fixture.runs.billing).toEqual([]);
    // What the message named, and the user approved, goes through — once.
    await agent.post('/billing').send({ card: VISA }).expect(200);
    expect(fixture.runs.billing).toEqual([VISA]);
  });

  it('binds the payload when the step-up starts: a status read after the swap shows the new action unapproved', async () => {
    const fixture = stepUpApp();
    const { agent } = await steppedUpFor(fixture, VISA);
    await agent
      .post('/billing')
      .set('Accept', 'application/json')
      .send({ card: MASTERCARD })
      .expect(401);
    const status = await agent.get('/auth/step-up/billing_change').expect(200);
    expect(status.body).toMatchObject({
      satisfied: false,
      approving: 'changing the billing card to …5100',
    });
  });
});

describe('a step-up grant is single-use', () => {
  it('runs the handler for exactly one of 8 requests released together', async () => {
    const fixture = stepUpApp({ barrier: memoryBarrier() });
    const { cookie } = await steppedUpFor(fixture, VISA);
    const base = await listen(fixture.app);
    expect(cookie).not.toBe('');
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        fetch(`${base}/billing`, {
          method: 'POST',
          headers: {
            cookie,
            'content-type': 'application/json',
            accept: 'application/json',
            'x-barrier': 'together:8',
          },
          body: JSON.stringify({ card: VISA }),
        }),
      ),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([
      200, 401, 401, 401, 401, 401, 401, 401,
    ]);
    expect(fixture.runs.billing).toEqual([VISA]);
  });

  it('is not brought back by a stale session copy that an in-flight request saves after it was spent', async () => {
    const fixture = stepUpApp();
    const { cookie } = await steppedUpFor(fixture, VISA);
    const base = await listen(fixture.app);
    // A request of the same session loads its copy (the grant still in it) and waits.
    const slow = fetch(`${base}/slow`, { method: 'POST', headers: { cookie } });
    await expect.poll(() => fixture.waiting()).toBe(1);
    const spend = await fetch(`${base}/billing`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ card: VISA }),
    });
    expect(spend.status).toBe(200);
    fixture.release();
    expect((await slow).status).toBe(200);
    const again = await fetch(`${base}/billing`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ card: VISA }),
    });
    expect(again.status).toBe(401);
    expect(fixture.runs.billing).toEqual([VISA]);
  });
});

describe('a payload the binding cannot represent', () => {
  it('answers 400 invalid_request, not 500, and approves nothing', async () => {
    const fixture = stepUpApp();
    const agent = request.agent(fixture.app);
    await agent.post('/login').send({}).expect(200);
    // No card: bind returns { card: undefined }, which JSON cannot represent.
    const refused = await agent.post('/billing').set('Accept', 'application/json').send({});
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: 'invalid_request' });
    expect(fixture.runs.billing).toEqual([]);
  });
});

describe('a bound step-up that needs a fresh pair', () => {
  it('grants the action the code named, and lets it through once a re-entered password completes the pair', async () => {
    const clock = new ManualClock();
    const fixture = stepUpApp({ stepUp: { now: () => clock.now() } });
    const agent = request.agent(fixture.app);
    await agent.post('/login').send({}).expect(200);
    // The sign-in's password is older than billing_change's 5 minutes: a code alone is AAL1.
    await clock.advance(10 * 60_000);
    await agent.post('/billing').set('Accept', 'application/json').send({ card: VISA }).expect(401);
    const started = await agent.post('/auth/step-up/billing_change/otp/start').send({});
    const verified = await agent
      .post('/auth/step-up/billing_change/otp/verify')
      .send({ id: (started.body as { id: string }).id, code: fixture.sms.latest(PHONE)?.code });
    expect(verified.body).toMatchObject({ status: 'approved', satisfied: false });
    expect(verified.body).not.toHaveProperty('reason');
    await agent.post('/billing').set('Accept', 'application/json').send({ card: VISA }).expect(401);
    await agent.post('/reauth').send({}).expect(200);
    await agent
      .post('/billing')
      .set('Accept', 'application/json')
      .send({ card: MASTERCARD })
      .expect(401);
    await agent.post('/billing').send({ card: VISA }).expect(200);
    await agent.post('/billing').set('Accept', 'application/json').send({ card: VISA }).expect(401);
    expect(fixture.runs.billing).toEqual([VISA]);
  });
});

describe('the audit trail of step-ups', () => {
  it('records each accepted proof with its checkpoint, method, strength and outcome — and a swap as action_changed', async () => {
    const fixture = stepUpApp();
    const agent = request.agent(fixture.app);
    await agent.post('/login').send({}).expect(200);
    await agent.post('/billing').set('Accept', 'application/json').send({ card: VISA }).expect(401);
    const first = await agent.post('/auth/step-up/billing_change/otp/start').send({});
    await agent
      .post('/auth/step-up/billing_change/otp/verify')
      .send({ id: (first.body as { id: string }).id, code: fixture.sms.latest(PHONE)?.code })
      .expect(200);
    await agent.post('/billing').send({ card: VISA }).expect(200);
    await agent.post('/billing').set('Accept', 'application/json').send({ card: VISA }).expect(401);
    const second = await agent.post('/auth/step-up/billing_change/otp/start').send({});
    await agent
      .post('/billing')
      .set('Accept', 'application/json')
      .send({ card: MASTERCARD })
      .expect(401);
    await agent
      .post('/auth/step-up/billing_change/otp/verify')
      .send({ id: (second.body as { id: string }).id, code: fixture.sms.latest(PHONE)?.code })
      .expect(200);
    const events = [];
    for await (const event of fixture.checkpoint.auditLog.query({
      tenantId: 'acme',
      types: ['checkpoint.stepped_up'],
    })) {
      events.push(event);
    }
    expect(events.map(({ purpose, result, data }) => ({ purpose, result, data }))).toEqual([
      {
        purpose: 'billing_change',
        result: 'otp-sms',
        data: {
          userId: 'alice',
          method: 'otp-sms',
          aal: 1,
          phishingResistant: false,
          satisfied: true,
        },
      },
      {
        purpose: 'billing_change',
        result: 'otp-sms',
        data: {
          userId: 'alice',
          method: 'otp-sms',
          aal: 1,
          phishingResistant: false,
          satisfied: false,
          reason: 'action_changed',
        },
      },
    ]);
  });
});
