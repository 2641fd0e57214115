import type { TenantPolicy } from '@checkpoint/policy';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { PHONE, stepUpApp } from './fixtures/stepUpApp.js';

const REFUND = {
  refund: { aal: 2 as const, maxAgeSeconds: 300, methods: ['otp-sms' as const, 'pwd' as const] },
};

/** An app whose tenant comes from a header, guarding POST /refund with a tenant-defined checkpoint. */
function refundApp() {
  const tenants: Record<string, TenantPolicy> = {
    shop: { id: 'shop', stepUp: REFUND },
    plain: { id: 'plain' },
  };
  const fixture = stepUpApp({
    stepUp: {
      tenantPolicy: (req) => tenants[String(req.get('x-tenant'))] ?? { id: 'plain' },
      customCheckpoints: ['refund'],
    },
    routes: (app, stepUp) => {
      app.post('/refund', stepUp.requireCheckpoint('refund'), (_req, res) => {
        res.json({ refunded: true });
      });
    },
  });
  return fixture;
}

describe('checkpoints a tenant defines', () => {
  it('guards a route with a checkpoint of the request’s tenant, resolved per request', async () => {
    const fixture = refundApp();
    const agent = request.agent(fixture.app);
    await agent.post('/login').set('x-tenant', 'shop').send({}).expect(200);
    const refused = await agent
      .post('/refund')
      .set('x-tenant', 'shop')
      .set('Accept', 'application/json')
      .send({});
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ checkpoint: 'refund', aal: 2, methods: ['otp-sms'] });
    const started = await agent
      .post('/auth/step-up/refund/otp/start')
      .set('x-tenant', 'shop')
      .send({})
      .expect(202);
    await agent
      .post('/auth/step-up/refund/otp/verify')
      .set('x-tenant', 'shop')
      .send({ id: (started.body as { id: string }).id, code: fixture.sms.latest(PHONE)?.code })
      .expect(200);
    await agent.post('/refund').set('x-tenant', 'shop').send({}).expect(200, { refunded: true });
  });

  it('fails closed with 404 not_found for a tenant that does not define it', async () => {
    const fixture = refundApp();
    const agent = request.agent(fixture.app);
    await agent.post('/login').set('x-tenant', 'plain').send({}).expect(200);
    const refused = await agent
      .post('/refund')
      .set('x-tenant', 'plain')
      .set('Accept', 'application/json')
      .send({});
    expect(refused.status).toBe(404);
    expect(refused.body).toMatchObject({ error: 'not_found' });
  });

  it('refuses at start-up a name that is neither built in nor declared', () => {
    const fixture = stepUpApp();
    expect(() => fixture.stepUp.requireCheckpoint('refnud')).toThrow(
      /no built-in checkpoint has this name.*customCheckpoints/,
    );
  });
});
