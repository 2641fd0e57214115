import { type AuditEvent, exportAudit, MemoryStore } from '@checkpoint/core';
import { ManualClock } from '@checkpoint/core/testing';
import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import { BILLING, controlsApp, PHONES, SECURITY } from './fixtures/controlsApp.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The audit events of tenant acme, of the given types. */
async function audited(
  fixture: ReturnType<typeof controlsApp>,
  ...types: AuditEvent['type'][]
): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  for await (const event of fixture.checkpoint.auditLog.query({ tenantId: 'acme', types })) {
    events.push(event);
  }
  return events;
}

async function signedIn(fixture: ReturnType<typeof controlsApp>, user: string) {
  const agent = request.agent(fixture.app);
  await agent.post(`/login/${user}`).expect(200);
  return agent;
}

describe('a new admin’s cool-down (admin_role_grant)', () => {
  it('refuses the new admin’s privileged actions for 24 h, then lets them through', async () => {
    const fixture = controlsApp();
    const alice = await signedIn(fixture, 'alice');
    const granted = await alice.post('/members/bob/admin').expect(200);
    expect(granted.body).toMatchObject({ until: fixture.clock.now() + DAY });

    const bob = await signedIn(fixture, 'bob');
    const refused = await bob.get('/admin/settings').expect(403);
    expect(refused.body).toMatchObject({ error: 'cooldown_active', retryAfter: 86_400 });
    expect(refused.get('retry-after')).toBe('86400');
    // A privileged checkpoint refuses too, before any code is sent.
    const exportRefused = await bob.get('/export').expect(403);
    expect(exportRefused.body).toMatchObject({
      error: 'cooldown_active',
      checkpoint: 'data_export',
    });
    expect(fixture.sms.messages).toHaveLength(0);
    // Alice, who granted the role, is not held back.
    await alice.get('/admin/settings').expect(200);

    fixture.clock.set(fixture.clock.now() + DAY + 1_000);
    const later = await signedIn(fixture, 'bob');
    await later.get('/admin/settings').expect(200);
    await later.get('/export').expect(200);

    const [started] = await audited(fixture, 'checkpoint.cooldown_started');
    expect(started).toMatchObject({
      tenantId: 'acme',
      purpose: 'admin_role_grant',
      data: { userId: 'bob', grantedBy: 'alice', role: 'admin' },
    });
    const refusals = await audited(fixture, 'checkpoint.cooldown_refused');
    expect(refusals.map((event) => [event.purpose, event.result, event.data?.userId])).toEqual([
      ['privileged', 'privileged_action', 'bob'],
      ['data_export', 'privileged_action', 'bob'],
    ]);
  });

  it('ends early on another admin’s approval — never the new admin’s own, nor the granting admin’s', async () => {
    const fixture = controlsApp();
    const alice = await signedIn(fixture, 'alice');
    await alice.post('/members/bob/admin').expect(200);
    const bob = await signedIn(fixture, 'bob');
    const carol = await signedIn(fixture, 'carol');

    // The new admin cannot approve themself (their privileged routes are closed, and the call refuses).
    await bob.post('/members/bob/approve').expect(403, /cooldown_active/);
    expect((await alice.post('/members/bob/approve').expect(403)).body).toEqual({
      approved: false,
      reason: 'granted_by_approver',
    });
    await bob.get('/admin/settings').expect(403);

    expect((await carol.post('/members/bob/approve').expect(200)).body).toMatchObject({
      approved: true,
    });
    await bob.get('/admin/settings').expect(200);
    expect((await carol.post('/members/bob/approve').expect(403)).body).toMatchObject({
      reason: 'no_cooldown',
    });

    const [approved] = await audited(fixture, 'checkpoint.cooldown_approved');
    expect(approved).toMatchObject({
      purpose: 'admin_role_grant',
      data: { userId: 'bob', approver: 'carol', grantedBy: 'alice' },
    });
    const refusals = await audited(fixture, 'checkpoint.cooldown_refused');
    expect(refusals.map((event) => event.result)).toContain('granted_by_approver');
  });

  it('refuses a self-approval and an approval by another new admin, even where the route lets them call', async () => {
    const fixture = controlsApp();
    const alice = await signedIn(fixture, 'alice');
    await alice.post('/members/bob/admin').expect(200);
    await alice.post('/members/erin/admin').expect(200);
    const bob = await signedIn(fixture, 'bob');
    const erin = await signedIn(fixture, 'erin');
    expect((await bob.post('/reviews/bob/approve').expect(403)).body).toEqual({
      approved: false,
      reason: 'self_approval',
    });
    expect((await erin.post('/reviews/bob/approve').expect(403)).body).toEqual({
      approved: false,
      reason: 'approver_in_cooldown',
    });
    await bob.get('/admin/settings').expect(403);
    const refusals = await audited(fixture, 'checkpoint.cooldown_refused');
    expect(
      refusals.map((event) => [event.result, event.data?.userId, event.data?.approver]),
    ).toEqual([
      ['self_approval', 'bob', 'bob'],
      ['approver_in_cooldown', 'bob', 'erin'],
      ['privileged_action', 'bob', undefined],
    ]);
  });

  it('uses the tenant’s period, and none when the tenant sets 0', async () => {
    const hourly = controlsApp({
      tenant: { id: 'acme', controls: { admin_role_grant: { cooldownSeconds: 3600 } } },
    });
    const alice = await signedIn(hourly, 'alice');
    await alice.post('/members/bob/admin').expect(200);
    const bob = await signedIn(hourly, 'bob');
    expect((await bob.get('/admin/settings').expect(403)).get('retry-after')).toBe('3600');

    const none = controlsApp({
      tenant: { id: 'acme', controls: { admin_role_grant: { cooldownSeconds: 0 } } },
    });
    const admin = await signedIn(none, 'alice');
    expect((await admin.post('/members/bob/admin').expect(200)).body).toEqual({});
    await (await signedIn(none, 'bob')).get('/admin/settings').expect(200);
  });
});

describe('one data export per user per hour (data_export)', () => {
  it('refuses a second export within the hour with 429 rate_limited and Retry-After, audited', async () => {
    const fixture = controlsApp();
    const alice = await signedIn(fixture, 'alice');
    await alice.get('/export').expect(200);
    fixture.clock.set(fixture.clock.now() + 60_000);
    const refused = await alice.get('/export').expect(429);
    expect(refused.body).toMatchObject({ error: 'rate_limited', retryAfter: 3540 });
    expect(refused.get('retry-after')).toBe('3540');
    // Another user is not held back by Alice's export.
    await (await signedIn(fixture, 'carol')).get('/export').expect(200);

    fixture.clock.set(fixture.clock.now() + HOUR);
    await (await signedIn(fixture, 'alice')).get('/export').expect(200);
    const [event] = await audited(fixture, 'checkpoint.frequency_refused');
    expect(event).toMatchObject({
      tenantId: 'acme',
      purpose: 'data_export',
      result: 'rate_limited',
      data: { userId: 'alice', minIntervalSeconds: 3600, retryAfter: 3540 },
    });
  });

  it('does not spend the hour on an export that failed', async () => {
    const fixture = controlsApp();
    const alice = await signedIn(fixture, 'alice');
    await alice.get('/export?fail=1').expect(500);
    await vi.waitFor(async () => {
      await alice.get('/export').expect(200);
    });
    await alice.get('/export').expect(429);
  });

  it('lets exactly one of concurrent exports through, on two processes sharing the Store', async () => {
    const store = new MemoryStore();
    const clock = new ManualClock();
    const one = controlsApp({ store, clock });
    const two = controlsApp({ store, clock });
    const first = await signedIn(one, 'alice');
    const second = await signedIn(two, 'alice');
    const answers = await Promise.all(
      [0, 1, 2, 3, 4, 5].map(async (index) =>
        (index % 2 === 0 ? first : second).get('/export').then((answer) => answer.status),
      ),
    );
    expect(answers.sort()).toEqual([200, 429, 429, 429, 429, 429]);
  });

  it('follows the tenant: a shorter interval, or none', async () => {
    const fixture = controlsApp({
      tenant: { id: 'acme', controls: { data_export: { minIntervalSeconds: 0 } } },
    });
    const alice = await signedIn(fixture, 'alice');
    await alice.get('/export').expect(200);
    await alice.get('/export').expect(200);
  });
});

describe('notices after a checkpoint’s action', () => {
  it('tells the account and the security contacts after an export succeeded, masked, and audits each', async () => {
    const fixture = controlsApp();
    const alice = await signedIn(fixture, 'alice');
    await alice.get('/export?fail=1').expect(500);
    await alice.get('/export').expect(200);
    await vi.waitFor(() => expect(fixture.notices).toHaveLength(2));
    expect(fixture.notices.map((notice) => [notice.audience, notice.to])).toEqual([
      ['account', PHONES.alice],
      ['security_contacts', SECURITY],
    ]);
    for (const notice of fixture.notices) {
      expect(notice.checkpoint).toBe('data_export');
      expect(notice.text).toContain('A data export was run by alice on Acme Console');
    }
    const notified = await audited(fixture, 'checkpoint.notified');
    expect(notified.map((event) => [event.result, event.data?.audience, event.data?.to])).toEqual([
      ['sent', 'account', '+*********01'],
      ['sent', 'security_contacts', 's***@a***.example'],
    ]);
  });

  it('tells every billing admin after a card change ran — with the card masked — and nobody when it was declined', async () => {
    const fixture = controlsApp();
    const alice = await signedIn(fixture, 'alice');
    const card = '4242424242424242';
    const changeCard = async (body: object) => {
      await alice.post('/billing').send(body).expect(401);
      const started = await alice.post('/auth/step-up/billing_change/otp/start').send({});
      const code = fixture.sms.latest(PHONES.alice ?? '')?.code ?? '';
      await alice
        .post('/auth/step-up/billing_change/otp/verify')
        .send({ id: (started.body as { id: string }).id, code })
        .expect(200);
      return alice.post('/billing').send(body);
    };
    expect((await changeCard({ card, decline: true })).status).toBe(402);
    expect((await changeCard({ card })).status).toBe(200);
    await vi.waitFor(() => expect(fixture.notices).toHaveLength(2));
    expect(fixture.notices.map((notice) => notice.to)).toEqual([...BILLING]);
    for (const notice of fixture.notices) {
      expect(notice.audience).toBe('billing_admins');
      expect(notice.text).toContain('************4242');
      expect(notice.text).not.toContain(card);
      expect(notice.changedTo).toBe('changing the card to ************4242');
    }
    const notified = await audited(fixture, 'checkpoint.notified');
    expect(notified.map((event) => event.data?.to)).toEqual(['a***@a***.example', '+*********99']);
  });

  it('tells the account and the security contacts of an admin grant and a new API key', async () => {
    const fixture = controlsApp();
    const alice = await signedIn(fixture, 'alice');
    await alice.post('/members/bob/admin').expect(200);
    await vi.waitFor(() => expect(fixture.notices).toHaveLength(2));
    await alice
      .post('/api-keys')
      .send({ scopes: ['read'] })
      .expect(201);
    await vi.waitFor(() => expect(fixture.notices).toHaveLength(4));
    expect(fixture.notices.map((notice) => [notice.checkpoint, notice.audience])).toEqual([
      ['admin_role_grant', 'account'],
      ['admin_role_grant', 'security_contacts'],
      ['api_key_create', 'account'],
      ['api_key_create', 'security_contacts'],
    ]);
  });
});

describe('notices that cannot be sent', () => {
  it('audits a notice whose delivery failed, and still lets the action stand', async () => {
    const fixture = controlsApp();
    const alice = await signedIn(fixture, 'alice');
    const notify = vi.spyOn(fixture.notices, 'push').mockImplementation(() => {
      throw new Error('SMTP down');
    });
    await alice.get('/export').expect(200);
    await vi.waitFor(async () =>
      expect(await audited(fixture, 'checkpoint.notified')).toHaveLength(2),
    );
    notify.mockRestore();
    const results = (await audited(fixture, 'checkpoint.notified')).map((event) => event.result);
    expect(results).toEqual(['failed', 'failed']);
  });
});

describe('API keys (api_key_create)', () => {
  it('audits a created key’s id, scopes and expiry, and a rotation as its own event — never the key', async () => {
    const fixture = controlsApp();
    const alice = await signedIn(fixture, 'alice');
    const created = await alice
      .post('/api-keys')
      .send({ scopes: ['read', 'write'] })
      .expect(201);
    const secret = (created.body as { secret: string }).secret;
    await alice.post('/api-keys/key_1/rotate').expect(200);

    const [event] = await audited(fixture, 'api_key.created');
    expect(event).toMatchObject({
      tenantId: 'acme',
      purpose: 'api_key_create',
      data: {
        userId: 'alice',
        keyId: 'key_1',
        scopes: 'read write',
        expiresAt: new Date(fixture.clock.now() + 90 * DAY).toISOString(),
      },
    });
    const [rotated] = await audited(fixture, 'api_key.rotated');
    expect(rotated).toMatchObject({
      data: { userId: 'alice', keyId: 'key_2', previousKeyId: 'key_1', expiresAt: 'never' },
    });
    let exported = '';
    for await (const chunk of exportAudit(
      fixture.checkpoint.auditLog.query({ tenantId: 'acme' }),
      'jsonl',
    )) {
      exported += chunk;
    }
    expect(exported).not.toContain(secret);
  });

  it('refuses to audit a key outside a route guarded by its checkpoint', async () => {
    const fixture = controlsApp();
    const alice = await signedIn(fixture, 'alice');
    await alice.post('/api-keys/unguarded').expect(500);
    expect(await audited(fixture, 'api_key.created')).toEqual([]);
  });
});

describe('the controls’ audit trail', () => {
  it('exports every control event with the rest of the tenant’s audit log, as CSV', async () => {
    const fixture = controlsApp();
    const alice = await signedIn(fixture, 'alice');
    await alice.post('/members/bob/admin').expect(200);
    const bob = await signedIn(fixture, 'bob');
    await bob.get('/admin/settings').expect(403);
    await (await signedIn(fixture, 'carol')).post('/members/bob/approve').expect(200);
    await alice.get('/export').expect(200);
    await alice.get('/export').expect(429);
    await alice
      .post('/api-keys')
      .send({ scopes: ['read'] })
      .expect(201);
    await alice.post('/api-keys/key_1/rotate').expect(200);
    await vi.waitFor(() => expect(fixture.notices.length).toBeGreaterThanOrEqual(6));

    let csv = '';
    for await (const chunk of exportAudit(
      fixture.checkpoint.auditLog.query({ tenantId: 'acme' }),
      'csv',
    )) {
      csv += chunk;
    }
    for (const type of [
      'checkpoint.cooldown_started',
      'checkpoint.cooldown_refused',
      'checkpoint.cooldown_approved',
      'checkpoint.frequency_refused',
      'checkpoint.notified',
      'api_key.created',
      'api_key.rotated',
    ]) {
      expect(csv).toContain(`,${type},acme,`);
    }
    for (const phone of Object.values(PHONES)) expect(csv).not.toContain(phone);
    expect(csv).not.toContain(SECURITY);
  });
});
