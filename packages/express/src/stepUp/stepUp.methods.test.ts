import { ENTERPRISE_PRESET } from '@checkpoint/policy';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { stepUpApp } from './fixtures/stepUpApp.js';

describe('the methods a step-up offers', () => {
  it('lists only what this app configured: SMS here, no passkeys, WhatsApp, IdP or authenticator app', async () => {
    const fixture = stepUpApp({
      routes: (app, stepUp) => {
        app.get('/export', stepUp.requireCheckpoint('data_export'), (_req, res) => {
          res.json({ ok: true });
        });
      },
    });
    const agent = request.agent(fixture.app);
    await agent.post('/login').send({}).expect(200);
    const refused = await agent.get('/export').set('Accept', 'application/json');
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ methods: ['otp-sms'] });
    const status = await agent.get('/auth/step-up/data_export').expect(200);
    expect(status.body).toMatchObject({ methods: ['otp-sms'] });
  });

  it('sends no code for a checkpoint that only a passkey can meet', async () => {
    const fixture = stepUpApp({ tenant: { id: 'bigco', stepUp: { ...ENTERPRISE_PRESET } } });
    const agent = request.agent(fixture.app);
    await agent.post('/login').send({}).expect(200);
    const start = await agent.post('/auth/step-up/admin_role_grant/otp/start').send({});
    expect(start.status).toBe(400);
    expect(start.body).toMatchObject({ error: 'invalid_request' });
    expect(fixture.sms.messages).toHaveLength(0);
  });

  it('sends a code only over a channel whose medium the checkpoint accepts', async () => {
    const fixture = stepUpApp();
    const agent = request.agent(fixture.app);
    await agent.post('/login').send({}).expect(200);
    const start = await agent
      .post('/auth/step-up/billing_change/otp/start')
      .send({ channel: 'carrier-pigeon' });
    expect(start.status).toBe(400);
    expect(fixture.sms.messages).toHaveLength(0);
  });
});
