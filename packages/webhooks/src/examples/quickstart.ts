import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createCheckpoint,
  isCheckpointError,
  MemoryAuditLog,
  outboxChannel,
} from '@checkpoint/core';
import {
  createWebhooks,
  generateWebhookSecret,
  verifyWebhook,
  type WebhookEvent,
  webhookAuditLog,
} from '../index.js';

/**
 * The README example, runnable (`pnpm --filter @checkpoint/webhooks example`): an app receives
 * Checkpoint's webhooks on a plain node:http server, verifies them, and prints each event. Both
 * sides run on loopback, which is why `allowHttp` and `allowPrivateNetworks` are set; a real
 * deployment sends to https endpoints on the Internet and sets neither.
 */
export async function webhooksQuickstart(
  log: (line: string) => void = console.log,
): Promise<WebhookEvent[]> {
  // — The receiving app —
  const received: WebhookEvent[] = [];
  const endpointSecret = generateWebhookSecret(); // shown to the tenant once, kept by both sides
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      verifyWebhook({
        secrets: endpointSecret,
        headers: req.headers,
        rawBody: Buffer.concat(chunks),
      })
        .then((event) => {
          received.push(event);
          log(
            `received ${event.type} (${event.data.result ?? '-'}) for ${event.data.destination?.masked ?? '-'}`,
          );
          res.writeHead(204).end();
        })
        .catch((error: unknown) => {
          // A replay is usually a retry whose answer was lost: acknowledge it, do nothing.
          const replay = isCheckpointError(error) && error.reasons.includes('replay');
          res.writeHead(replay ? 204 : isCheckpointError(error) ? error.status : 500).end();
        });
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/checkpoint`;

  // — The app that runs Checkpoint —
  const secrets = new Map([[`acme ${url}`, endpointSecret]]); // a secrets manager in real life
  const webhooks = createWebhooks({
    endpoints: async (tenantId) =>
      (await checkpoint.config(tenantId)).webhooks.map((endpoint) => ({
        ...endpoint,
        secret: secrets.get(`${tenantId} ${endpoint.url}`) ?? '',
      })),
    allowHttp: true, // loopback demo only
    allowPrivateNetworks: true, // loopback demo only
  });
  const sms = outboxChannel({ name: 'sms' });
  const checkpoint = createCheckpoint({
    secret: 'quickstart-secret-not-for-production-0123456789',
    channels: [sms],
    auditLog: webhookAuditLog(new MemoryAuditLog(), webhooks),
  });
  await checkpoint.configure('acme', { webhooks: [{ url }] });

  const to = '+14155550100';
  const { id } = await checkpoint.send({ to, purpose: 'login', tenantId: 'acme' });
  await checkpoint.check({ id, code: '000000' === sms.latest(to)?.code ? '111111' : '000000' });
  await checkpoint.check({ id, code: sms.latest(to)?.code ?? '' });

  // Deliveries are asynchronous: wait (bounded) for the two webhooks.
  for (let i = 0; i < 100 && received.length < 2; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await webhooks.close();
  await checkpoint.close();
  await new Promise((resolve) => receiver.close(resolve));
  return received;
}
