// Threat: an email code counted as SMS (AAL2 without the tenant's opt-in) because of its channel's name.
import { outboxChannel } from '@checkpoint/core';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { stepUpApp } from './fixtures/stepUpApp.js';

const EMAIL = 'alice@acme.example';
const PHONE = '+14155550100';

describe('a step-up code counts as its channel’s medium, not its name', () => {
  it.each(['console', 'mail', 'sandbox', 'sms'])(
    'an email channel named %s cannot meet billing_change (email codes are not an authenticator)',
    async (name) => {
      const inbox = outboxChannel({ name, kind: 'email' });
      const fixture = stepUpApp({ channels: [inbox], stepUp: { destination: () => EMAIL } });
      const agent = request.agent(fixture.app);
      await agent.post('/login').send({}).expect(200);
      await agent
        .post('/billing')
        .set('Accept', 'application/json')
        .send({ card: '4111111111111111' })
        .expect(401);
      const started = await agent.post('/auth/step-up/billing_change/otp/start').send({});
      if (started.status === 202) {
        await agent
          .post('/auth/step-up/billing_change/otp/verify')
          .send({ id: (started.body as { id: string }).id, code: inbox.latest(EMAIL)?.code });
      }
      const billing = await agent
        .post('/billing')
        .set('Accept', 'application/json')
        .send({ card: '4111111111111111' });
      expect(billing.status).toBe(401);
      expect(fixture.runs.billing).toEqual([]);
      // No code is even sent: none of this app's channels can meet the checkpoint.
      expect(started.status).toBe(400);
      expect(inbox.messages).toHaveLength(0);
    },
  );

  it('sends over the phone channel only, when the checkpoint does not accept email codes', async () => {
    const inbox = outboxChannel({ name: 'mail', kind: 'email' });
    const phone = outboxChannel({ name: 'sms' });
    const fixture = stepUpApp({
      channels: [inbox, phone],
      stepUp: { destination: () => ({ phone: PHONE, email: EMAIL }) },
    });
    const agent = request.agent(fixture.app);
    await agent.post('/login').send({}).expect(200);
    await agent
      .post('/billing')
      .set('Accept', 'application/json')
      .send({ card: '4111111111111111' })
      .expect(401);
    const started = await agent.post('/auth/step-up/billing_change/otp/start').send({}).expect(202);
    expect(started.body).toMatchObject({ channel: 'sms' });
    expect(inbox.messages).toHaveLength(0);
    const verified = await agent
      .post('/auth/step-up/billing_change/otp/verify')
      .send({ id: (started.body as { id: string }).id, code: phone.latest(PHONE)?.code });
    expect(verified.body).toMatchObject({ status: 'approved', satisfied: true });
    await agent.post('/billing').send({ card: '4111111111111111' }).expect(200);
  });
});
