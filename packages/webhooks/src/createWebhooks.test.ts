import { ManualClock } from '@checkpoint/core/testing';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { createWebhooks } from './createWebhooks.js';
import { auditEvent, TEST_SECRET } from './fixtures/events.js';
import { endpointOn, useDeliveryTestbed } from './fixtures/deliveryTestbed.js';
import type { WebhookEvent } from './events/WebhookEvent.js';
import { generateWebhookSecret } from './signing/secrets.js';
import { verifyWebhook } from './signing/verifyWebhook.js';

const testbed = useDeliveryTestbed();

describe('createWebhooks delivery', () => {
  it('delivers a signed event that the reference verifier accepts', async () => {
    const receiver = await testbed.receiver();
    const { webhooks, reported } = testbed.webhooks([endpointOn(receiver)]);
    const event = auditEvent();

    await expect(webhooks.publish(event)).resolves.toBe(1);
    const [request] = await receiver.waitFor(1);
    await reported({ outcome: 'delivered' });

    expect(request).toMatchObject({ method: 'POST', path: '/hooks' });
    expect(request?.headers).toMatchObject({
      'content-type': 'application/json',
      'webhook-id': `msg_${event.id.slice(3)}`,
      'webhook-timestamp': expect.stringMatching(/^\d+$/) as unknown,
      'webhook-signature': expect.stringMatching(/^v1,[A-Za-z0-9+/]{43}=$/) as unknown,
    });
    const body = request?.body ?? '';
    const payload = new Webhook(TEST_SECRET).verify(body, request?.headers ?? {});
    expect(payload).toEqual({
      type: 'verification.approved',
      timestamp: '2026-11-22T12:00:00.000Z',
      data: {
        tenantId: 'acme',
        verificationId: event.verificationId,
        purpose: 'login',
        channel: 'sms',
        result: 'approved',
        reasons: [],
        userId: null,
        destination: { kind: 'phone', masked: '+1********00', country: 'US' },
      },
    });
    await expect(
      verifyWebhook({
        secrets: TEST_SECRET,
        headers: request?.headers ?? {},
        rawBody: body,
        seen: false,
      }),
    ).resolves.toEqual(payload);
  });

  it('publishes nothing for audit events apps are not told about', async () => {
    const receiver = await testbed.receiver();
    const { webhooks } = testbed.webhooks([endpointOn(receiver)]);
    await expect(
      webhooks.publish(auditEvent({ type: 'verification.dispatched', result: 'sent' })),
    ).resolves.toBe(0);
  });

  it('retries a 500 with the same webhook-id and a new timestamp and signature', async () => {
    const clock = new ManualClock();
    const receiver = await testbed.receiver();
    receiver.reply({ status: 500 });
    const { webhooks, reports } = testbed.webhooks([endpointOn(receiver)], {
      clock,
      retrySchedule: [5_000],
    });

    await webhooks.publish(auditEvent());
    await clock.advance(0);
    expect(reports).toMatchObject([
      { attempt: 1, outcome: 'retry', status: 500, retryInMs: 5_000 },
    ]);
    await clock.advance(5_000);
    expect(reports.at(-1)).toMatchObject({ attempt: 2, outcome: 'delivered', status: 204 });

    const [first, second] = receiver.deliveries;
    expect(second?.headers['webhook-id']).toBe(first?.headers['webhook-id']);
    expect(second?.body).toBe(first?.body);
    expect(Number(second?.headers['webhook-timestamp'])).toBe(
      Number(first?.headers['webhook-timestamp']) + 5,
    );
    expect(second?.headers['webhook-signature']).not.toBe(first?.headers['webhook-signature']);
    for (const request of [first, second]) {
      await expect(
        verifyWebhook({
          secrets: TEST_SECRET,
          headers: request?.headers ?? {},
          rawBody: request?.body ?? '',
          now: Number(request?.headers['webhook-timestamp']) * 1_000,
          seen: false,
        }),
      ).resolves.toMatchObject({ type: 'verification.approved' });
    }
  });

  it('waits as long as Retry-After asks before the next attempt', async () => {
    const clock = new ManualClock();
    const receiver = await testbed.receiver();
    receiver.reply({ status: 429, headers: { 'retry-after': '120' } });
    const { webhooks, reports } = testbed.webhooks([endpointOn(receiver)], {
      clock,
      retrySchedule: [1_000],
    });

    await webhooks.publish(auditEvent());
    await clock.advance(0);
    expect(reports).toMatchObject([{ outcome: 'retry', status: 429, retryInMs: 120_000 }]);
    await clock.advance(119_999);
    expect(receiver.deliveries).toHaveLength(1);
    await clock.advance(1);
    expect(receiver.deliveries).toHaveLength(2);
    expect(reports.at(-1)).toMatchObject({ outcome: 'delivered' });
  });

  it('treats a redirect as a failure and never follows it', async () => {
    const receiver = await testbed.receiver({
      respond: () => ({ status: 302, headers: { location: '/moved' } }),
    });
    const { webhooks, reported } = testbed.webhooks([endpointOn(receiver)]);

    await webhooks.publish(auditEvent());
    const [dead] = await reported({ outcome: 'dead_letter' });
    expect(dead).toMatchObject({ status: 302, error: 'redirect (302) not followed', attempt: 3 });
    expect(receiver.deliveries.map((request) => request.path)).toEqual([
      '/hooks',
      '/hooks',
      '/hooks',
    ]);
  });

  it('sends an endpoint only the event types it asks for', async () => {
    const receiver = await testbed.receiver();
    const { webhooks, reported } = testbed.webhooks([
      endpointOn(receiver, '/approved', { events: ['verification.approved'] }),
      endpointOn(receiver, '/all'),
    ]);

    await expect(
      webhooks.publish(auditEvent({ type: 'verification.checked', result: 'failed' })),
    ).resolves.toBe(1);
    await expect(webhooks.publish(auditEvent())).resolves.toBe(2);
    await reported({ outcome: 'delivered' }, 3);
    const byPath = receiver.deliveries.map((request) => [
      request.path,
      (JSON.parse(request.body) as WebhookEvent).type,
    ]);
    expect(byPath.sort()).toEqual([
      ['/all', 'verification.approved'],
      ['/all', 'verification.failed'],
      ['/approved', 'verification.approved'],
    ]);
  });

  it('signs each attempt with every secret of a rotation', async () => {
    const receiver = await testbed.receiver();
    const next = generateWebhookSecret();
    const { webhooks } = testbed.webhooks([
      endpointOn(receiver, '/hooks', { secret: [TEST_SECRET, next] }),
    ]);

    await webhooks.publish(auditEvent());
    const [request] = await receiver.waitFor(1);
    expect(request?.headers['webhook-signature']?.split(' ')).toHaveLength(2);
    for (const secret of [TEST_SECRET, next]) {
      expect(new Webhook(secret).verify(request?.body ?? '', request?.headers ?? {})).toBeDefined();
    }
  });

  it('asks for the current secret on each attempt and gives up on a removed endpoint', async () => {
    const receiver = await testbed.receiver();
    receiver.reply({ status: 503 });
    let endpoints = [endpointOn(receiver)];
    const { webhooks, reported } = testbed.webhooks(async () => endpoints);

    await webhooks.publish(auditEvent());
    await reported({ outcome: 'retry', status: 503 });
    endpoints = [];
    const [dead] = await reported({ outcome: 'dead_letter' });
    expect(dead).toMatchObject({ reason: 'endpoint_removed', attempt: 2 });
    expect(receiver.deliveries).toHaveLength(1);
  });

  it('retries an attempt when the endpoints function fails for a moment', async () => {
    const receiver = await testbed.receiver();
    let calls = 0;
    const { webhooks, reported } = testbed.webhooks(async () => {
      calls += 1;
      if (calls === 2) throw new Error('config store down');
      return [endpointOn(receiver)];
    });

    await webhooks.publish(auditEvent());
    await reported({ outcome: 'delivered', attempt: 2 });
    expect(await reported({ outcome: 'retry' })).toMatchObject([
      { attempt: 1, error: 'endpoints failed: config store down' },
    ]);
    expect(receiver.deliveries).toHaveLength(1);
  });

  it('dead-letters at once an endpoint whose secret is not a whsec_ secret', async () => {
    const receiver = await testbed.receiver();
    const { webhooks, reported } = testbed.webhooks([
      endpointOn(receiver, '/hooks', { secret: 'hunter2' }),
    ]);

    await webhooks.publish(auditEvent());
    const [dead] = await reported({ outcome: 'dead_letter' });
    expect(dead).toMatchObject({ reason: 'invalid_secret', attempt: 1 });
    expect(dead?.error).not.toContain('hunter2');
    expect(receiver.deliveries).toHaveLength(0);
  });

  it('throws a TypeError that says what to pass when endpoints is missing', () => {
    expect(() => createWebhooks({} as never)).toThrow(/endpoints function/);
    expect(() => createWebhooks({ endpoints: () => [], jitter: 2 })).toThrow(TypeError);
  });
});
