// A receiver that is down, hangs or answers 410 must not lose events: they end in the dead-letter
// list and can be replayed, with the same webhook-id.
import { describe, expect, it } from 'vitest';
import { endpointOn, useDeliveryTestbed } from './fixtures/deliveryTestbed.js';
import { auditEvent, TEST_SECRET } from './fixtures/events.js';
import { startWebhookReceiver } from './testing/startWebhookReceiver.js';

const testbed = useDeliveryTestbed();

describe('createWebhooks dead letters', () => {
  it('retries a receiver that hangs, dead-letters the delivery, and a replay delivers it', async () => {
    const receiver = await testbed.receiver();
    receiver.reply({ hang: true }, { hang: true }, { hang: true });
    const { webhooks, reported } = testbed.webhooks([endpointOn(receiver)], { timeoutMs: 250 });
    const event = auditEvent({ type: 'verification.expired', result: 'expired' });

    await webhooks.publish(event);
    const [dead] = await reported({ outcome: 'dead_letter' });
    expect(dead).toMatchObject({
      attempt: 3,
      reason: 'retries_exhausted',
      error: 'no response within 250 ms',
    });
    const letters = await webhooks.deadLetters({ tenantId: 'acme' });
    expect(letters).toMatchObject([
      {
        id: dead?.deliveryId,
        webhookId: `msg_${event.id.slice(3)}`,
        type: 'verification.expired',
        attempts: 3,
        reason: 'retries_exhausted',
        replays: 0,
      },
    ]);
    expect(receiver.deliveries).toHaveLength(3);

    await webhooks.replay(letters[0]?.id ?? '');
    await reported({ outcome: 'delivered' });
    const requests = await receiver.waitFor(4);
    expect(new Set(requests.map((request) => request.headers['webhook-id']))).toEqual(
      new Set([`msg_${event.id.slice(3)}`]),
    );
    expect(new Set(requests.map((request) => request.body)).size).toBe(1);
    await expect(webhooks.deadLetters({ tenantId: 'acme' })).resolves.toEqual([]);
    await expect(webhooks.replay(letters[0]?.id ?? '')).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('retries a receiver that is down, then delivers on replay once it is back', async () => {
    const gone = await startWebhookReceiver();
    const { port } = gone;
    await gone.close();
    const url = `http://127.0.0.1:${port}/hooks`;
    const { webhooks, reported } = testbed.webhooks([{ url, secret: TEST_SECRET }]);

    await webhooks.publish(auditEvent());
    const [dead] = await reported({ outcome: 'dead_letter' });
    expect(dead).toMatchObject({
      attempt: 3,
      reason: 'retries_exhausted',
      error: expect.stringMatching(/ECONNREFUSED/) as unknown,
    });

    const back = await testbed.receiver({ port });
    await webhooks.replay(dead?.deliveryId ?? '');
    await reported({ outcome: 'delivered' });
    expect(back.deliveries).toHaveLength(1);
  });

  it('disables an endpoint that answers 410 until it is enabled again', async () => {
    const receiver = await testbed.receiver();
    receiver.reply({ status: 410 });
    const endpoint = endpointOn(receiver);
    const { webhooks, reported } = testbed.webhooks([endpoint]);

    await webhooks.publish(auditEvent());
    await reported({ outcome: 'disabled', status: 410 });
    await expect(webhooks.isDisabled(endpoint.url)).resolves.toBe(true);
    const [letter] = await webhooks.deadLetters({ tenantId: 'acme' });
    expect(letter).toMatchObject({ reason: 'gone', status: 410, attempts: 1 });

    await expect(webhooks.publish(auditEvent())).resolves.toBe(0);
    await expect(webhooks.replay(letter?.id ?? '')).rejects.toMatchObject({
      code: 'invalid_request',
    });
    await expect(webhooks.deadLetters({ tenantId: 'acme' })).resolves.toHaveLength(1);
    expect(receiver.deliveries).toHaveLength(1);

    await expect(webhooks.enable(endpoint.url)).resolves.toBe(true);
    await webhooks.replay(letter?.id ?? '');
    await expect(webhooks.publish(auditEvent())).resolves.toBe(1);
    await reported({ outcome: 'delivered' }, 2);
    expect(receiver.deliveries).toHaveLength(3);
  });
});
