// Webhooks must tell apps what happened without ever carrying a code, a full destination or its
// hash: checked on every body a real checkpoint's lifecycle produced.
import {
  type AuditEvent,
  type AuditLog,
  type Channel,
  createCheckpoint,
  InProcessScheduler,
  MemoryAuditLog,
  MemoryStore,
  outboxChannel,
} from '@checkpoint/core';
import { ManualClock } from '@checkpoint/core/testing';
import { describe, expect, it, vi } from 'vitest';
import { TEST_SECRET } from './fixtures/events.js';
import { endpointOn, useDeliveryTestbed } from './fixtures/deliveryTestbed.js';
import { verifyWebhook } from './signing/verifyWebhook.js';
import { webhookAuditLog } from './webhookAuditLog.js';
import type { WebhookEvent } from './events/WebhookEvent.js';

const testbed = useDeliveryTestbed();
const SECRET = 'webhook-audit-log-test-secret-0123456789abcdef';

describe('webhookAuditLog', () => {
  it('turns a real checkpoint lifecycle into the six webhook events, with no code or destination', async () => {
    const receiver = await testbed.receiver();
    const clock = new ManualClock(Date.now());
    const sms = outboxChannel({ name: 'sms' });
    const voice = outboxChannel({ name: 'voice' });
    const flaky: Channel = {
      name: 'flaky',
      kind: 'phone',
      send: async () => {
        throw new Error('provider down');
      },
    };
    const auditLog = new MemoryAuditLog();
    const secrets = new Map([[`default ${receiver.origin}/hooks`, TEST_SECRET]]);
    let queued = 0;
    const { webhooks, reported } = testbed.webhooks(async (tenantId) =>
      // The recommended wiring: URLs from the tenant's configuration, secrets kept elsewhere.
      (await checkpoint.config(tenantId)).webhooks.map((endpoint) => ({
        ...endpoint,
        secret: secrets.get(`${tenantId} ${endpoint.url}`) ?? '',
      })),
    );
    const checkpoint = createCheckpoint({
      secret: SECRET,
      channels: [sms, voice, flaky],
      store: new MemoryStore(),
      clock,
      scheduler: new InProcessScheduler({ clock }),
      auditLog: webhookAuditLog(auditLog, {
        publish: async (event) => {
          const count = await webhooks.publish(event);
          queued += count;
          return count;
        },
      }),
    });
    await checkpoint.configure('default', { webhooks: [{ url: endpointOn(receiver).url }] });
    const context = { ip: '198.51.100.23' };
    const code = (to: string, outbox = sms): string => outbox.latest(to)?.code ?? '';
    const wrong = (right: string): string => (right === '000000' ? '111111' : '000000');

    // approved, after one failed check
    const approved = await checkpoint.send({
      to: '+14155550100',
      purpose: 'login',
      channels: ['sms'],
      context,
    });
    await checkpoint.check({ id: approved.id, code: wrong(code('+14155550100')), context });
    await checkpoint.check({ id: approved.id, code: code('+14155550100'), context });
    // locked at max attempts: five wrong codes, then even the right one is refused
    const locked = await checkpoint.send({
      to: '+14155550123',
      purpose: 'login',
      channels: ['sms'],
      context,
    });
    for (let i = 0; i < 5; i += 1) {
      await checkpoint.check({ id: locked.id, code: wrong(code('+14155550123')), context });
    }
    await checkpoint.check({ id: locked.id, code: code('+14155550123'), context });
    // a failed receipt, then fallback to voice
    const receipt = await checkpoint.send({ to: '+14155550142', purpose: 'signup', context });
    const providerMessageId =
      (await checkpoint.get(receipt.id)).deliveries[0]?.providerMessageId ?? '';
    await checkpoint.recordDelivery({ channel: 'sms', providerMessageId, status: 'failed' });
    // a failed dispatch
    await checkpoint.send({
      to: '+14155550177',
      purpose: 'signup',
      channels: ['flaky', 'sms'],
      context,
    });
    // blocked: a sanctioned country
    await expect(
      checkpoint.send({ to: '+989123456789', purpose: 'login', context }),
    ).rejects.toMatchObject({
      code: 'country_blocked',
    });
    // expired
    await clock.advance(601_000);

    await vi.waitFor(() => expect(queued).toBeGreaterThan(0));
    await reported({ outcome: 'delivered' }, queued);
    const requests = receiver.deliveries;
    expect(requests).toHaveLength(queued);
    const events: WebhookEvent[] = [];
    for (const request of requests) {
      events.push(
        await verifyWebhook({
          secrets: TEST_SECRET,
          headers: request.headers,
          rawBody: request.body,
          seen: false,
        }),
      );
    }

    expect(new Set(events.map((event) => event.type))).toEqual(
      new Set([
        'verification.approved',
        'verification.failed',
        'verification.expired',
        'verification.delivery_failed',
        'verification.fallback',
        'verification.blocked',
      ]),
    );
    expect(events.find((event) => event.type === 'verification.approved')?.data).toEqual({
      tenantId: 'default',
      verificationId: approved.id,
      purpose: 'login',
      channel: 'sms',
      result: 'approved',
      reasons: [],
      userId: null,
      destination: { kind: 'phone', masked: '+1********00', country: 'US' },
    });
    const failures = events.filter((event) => event.data.verificationId === locked.id);
    expect(failures.map((event) => event.data.result)).toContain('max_attempts');
    const deliveryFailures = events
      .filter((event) => event.type === 'verification.delivery_failed')
      .map((event) => `${event.data.channel} ${event.data.result}`);
    // A channel that threw (dispatch) and a failed receipt.
    expect(new Set(deliveryFailures)).toEqual(new Set(['flaky channel_error', 'sms failed']));
    expect(events.find((event) => event.type === 'verification.blocked')?.data).toMatchObject({
      verificationId: null,
      result: 'country_blocked',
    });

    // Nothing secret in any body: codes sent, full numbers (international or national), hashes, IPs.
    const bodies = requests.map((request) => request.body).join('\n');
    const codes = [...sms.messages, ...voice.messages].map((message) => message.code);
    expect(codes.length).toBeGreaterThanOrEqual(5);
    const hashes = (await collect(auditLog)).flatMap((event) => event.destination?.hash ?? []);
    expect(hashes.length).toBeGreaterThan(0);
    for (const secret of [
      ...codes,
      ...hashes,
      '+14155550100',
      '4155550100',
      '4155550123',
      '4155550142',
      '4155550177',
      '9123456789',
      '198.51.100.23',
    ]) {
      expect(bodies).not.toContain(secret);
    }
    await checkpoint.close();
  });

  it('appends to the inner log first and reads from it', async () => {
    const inner = new MemoryAuditLog();
    const published: string[] = [];
    const log = webhookAuditLog(inner, {
      publish: async (event) => {
        published.push(event.id);
        expect(await inner.byVerification('vf_x')).toHaveLength(published.length);
        return 0;
      },
    });
    await log.append(event('ae_one'));
    await log.append(event('ae_two'));
    expect(published).toEqual(['ae_one', 'ae_two']);
    expect((await log.byVerification('vf_x')).map((entry) => entry.id)).toEqual([
      'ae_one',
      'ae_two',
    ]);
    expect((await collect(log)).map((entry) => entry.id)).toEqual(['ae_one', 'ae_two']);
  });

  it('still publishes when the inner log fails, and reports publish failures without throwing', async () => {
    const onError = vi.fn();
    const published: string[] = [];
    const failingInner = {
      ...new MemoryAuditLog(),
      append: () => Promise.reject(new Error('audit sink down')),
    };
    const log = webhookAuditLog(
      failingInner as unknown as MemoryAuditLog,
      { publish: async (entry) => (published.push(entry.id), 1) },
      { onError },
    );
    await expect(log.append(event('ae_sink_down'))).rejects.toThrow('audit sink down');
    expect(published).toEqual(['ae_sink_down']);

    const broken = webhookAuditLog(
      new MemoryAuditLog(),
      { publish: () => Promise.reject(new Error('redis down')) },
      {
        onError,
      },
    );
    await expect(broken.append(event('ae_queue_down'))).resolves.toBeUndefined();
    expect(onError).toHaveBeenCalledWith(
      expect.objectContaining({ message: 'redis down' }),
      expect.objectContaining({ id: 'ae_queue_down' }),
    );
  });

  it('throws a TypeError that says what to pass', () => {
    expect(() => webhookAuditLog(undefined as never, { publish: async () => 0 })).toThrow(
      /MemoryAuditLog/,
    );
    expect(() => webhookAuditLog(new MemoryAuditLog(), {} as never)).toThrow(/createWebhooks/);
  });
});

function event(id: string): AuditEvent {
  return {
    id,
    type: 'verification.approved',
    at: Date.now(),
    tenantId: 'acme',
    verificationId: 'vf_x',
  };
}

async function collect(log: Pick<AuditLog, 'query'>, tenantId?: string): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  for (const id of tenantId === undefined ? ['default', 'acme'] : [tenantId]) {
    for await (const entry of log.query({ tenantId: id })) events.push(entry);
  }
  return events;
}
