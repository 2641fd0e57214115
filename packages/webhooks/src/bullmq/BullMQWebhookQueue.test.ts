import {
  deleteByPrefix,
  type TestRedis,
  testPrefix,
  useTestRedis,
} from '@checkpoint/redis/testing';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { endpointOn, useDeliveryTestbed } from '../fixtures/deliveryTestbed.js';
import { auditEvent } from '../fixtures/events.js';
import { BullMQWebhookQueue, type BullMQWebhookQueueOptions } from './BullMQWebhookQueue.js';

const testbed = useDeliveryTestbed();
let server: TestRedis;
let redis: Redis;
const prefixes: string[] = [];
const queues: BullMQWebhookQueue[] = [];

beforeAll(async () => {
  server = await useTestRedis();
  // As an application configures it for RedisStore: fail fast rather than queue commands.
  redis = new Redis(server.url, {
    enableOfflineQueue: false,
    commandTimeout: 2_000,
    lazyConnect: true,
  });
  await redis.connect();
});

afterEach(async () => {
  await Promise.all(queues.splice(0).map((queue) => queue.close()));
  for (const prefix of prefixes.splice(0)) await deleteByPrefix(redis, prefix);
});

afterAll(async () => {
  await redis?.quit();
  await server?.close();
});

/** A hash-tagged prefix unique to the test (testPrefix has no braces), deleted after it. */
function uniquePrefix(): string {
  const prefix = `{${testPrefix('webhooks').slice(0, -1)}}`;
  prefixes.push(prefix);
  return prefix;
}

async function startQueue(options: Partial<BullMQWebhookQueueOptions> & { prefix: string }) {
  const queue = new BullMQWebhookQueue({ connection: redis, onError: () => {}, ...options });
  queues.push(queue);
  return queue;
}

describe('BullMQWebhookQueue', () => {
  it('retries a failing delivery in a worker and files it in the Redis dead-letter list', async () => {
    const receiver = await testbed.receiver({ respond: () => ({ status: 500 }) });
    const prefix = uniquePrefix();
    const queue = await startQueue({ prefix });
    const { webhooks, reported } = testbed.webhooks([endpointOn(receiver)], {
      queue,
      retrySchedule: [50, 50],
    });
    await queue.waitUntilReady();

    const event = auditEvent();
    await webhooks.publish(event);
    const [dead] = await reported({ outcome: 'dead_letter' });

    expect(dead).toMatchObject({ attempt: 3, reason: 'retries_exhausted', status: 500 });
    expect(new Set(receiver.deliveries.map((request) => request.headers['webhook-id']))).toEqual(
      new Set([`msg_${event.id.slice(3)}`]),
    );
    expect(receiver.deliveries).toHaveLength(3);
    const letters = await webhooks.deadLetters({ tenantId: 'acme' });
    expect(letters).toMatchObject([
      { id: dead?.deliveryId, attempts: 3, status: 500, reason: 'retries_exhausted' },
    ]);
    expect(await redis.hexists(`${prefix}:webhooks:dead-letters`, dead?.deliveryId ?? '')).toBe(1);
    expect(await redis.zcard(`${prefix}:webhooks:dead-letters:acme`)).toBe(1);
  });

  it('runs deliveries queued by one process in another, sharing dead letters and disabled endpoints', async () => {
    const receiver = await testbed.receiver();
    receiver.reply({ status: 500 }, { status: 500 }, { status: 500 });
    const prefix = uniquePrefix();
    const endpoint = endpointOn(receiver);
    // The app process only queues; the worker process sends.
    const app = testbed.webhooks([endpoint], {
      queue: await startQueue({ prefix, worker: false }),
    });
    const workerQueue = await startQueue({ prefix });
    const worker = testbed.webhooks([endpoint], { queue: workerQueue, retrySchedule: [50, 50] });
    await workerQueue.waitUntilReady();

    await app.webhooks.publish(auditEvent());
    const [dead] = await worker.reported({ outcome: 'dead_letter' });
    expect(app.reports).toEqual([]);
    const [letter] = await app.webhooks.deadLetters({ tenantId: 'acme' });
    expect(letter?.id).toBe(dead?.deliveryId);

    // Replayed from the app process, sent by the worker.
    await app.webhooks.replay(letter?.id ?? '');
    await worker.reported({ outcome: 'delivered' });
    await expect(app.webhooks.deadLetters({ tenantId: 'acme' })).resolves.toEqual([]);
    await expect(app.webhooks.replay(letter?.id ?? '')).rejects.toMatchObject({
      code: 'not_found',
    });

    receiver.reply({ status: 410 });
    await app.webhooks.publish(auditEvent());
    await worker.reported({ outcome: 'disabled' });
    await expect(app.webhooks.isDisabled(endpoint.url)).resolves.toBe(true);
    await expect(app.webhooks.publish(auditEvent())).resolves.toBe(0);
    await expect(app.webhooks.enable(endpoint.url)).resolves.toBe(true);
    await expect(worker.webhooks.isDisabled(endpoint.url)).resolves.toBe(false);
  });

  it('keeps at most maxDeadLetters per tenant, newest first', async () => {
    const prefix = uniquePrefix();
    const queue = await startQueue({ prefix, worker: false, maxDeadLetters: 2 });
    const letter = (id: string, failedAt: number) => ({
      id,
      webhookId: `msg_${id}`,
      tenantId: 'acme',
      url: 'https://hooks.example.com/',
      type: 'verification.approved' as const,
      body: '{}',
      attempts: 10,
      replays: 0,
      createdAt: 0,
      failedAt,
      reason: 'retries_exhausted' as const,
    });
    for (const [id, at] of [
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ] as const)
      await queue.addDeadLetter(letter(id, at));
    await expect(queue.deadLetters({ tenantId: 'acme' })).resolves.toMatchObject([
      { id: 'c' },
      { id: 'b' },
    ]);
    await expect(queue.deadLetters({ tenantId: 'acme', limit: 1 })).resolves.toMatchObject([
      { id: 'c' },
    ]);
    await expect(queue.takeDeadLetter('a')).resolves.toBeNull();
    const [first, second] = await Promise.all([
      queue.takeDeadLetter('b'),
      queue.takeDeadLetter('b'),
    ]);
    expect([first?.id, second?.id].sort()).toEqual(['b', undefined]);
  });

  it('fails with store_unavailable within timeoutMs when Redis does not answer', async () => {
    // A server that accepts connections and never answers: a hung Redis.
    const sockets = new Set<Socket>();
    const hung = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    const { port } = hung.address() as AddressInfo;
    const connection = new Redis({
      host: '127.0.0.1',
      port,
      lazyConnect: true,
      maxRetriesPerRequest: 1,
    });
    const queue = new BullMQWebhookQueue({
      connection,
      worker: false,
      timeoutMs: 200,
      onError: () => {},
    });
    try {
      await expect(queue.isDisabled('https://hooks.example.com/')).rejects.toMatchObject({
        code: 'store_unavailable',
      });
      await expect(queue.deadLetters({ tenantId: 'acme' })).rejects.toMatchObject({
        code: 'store_unavailable',
      });
    } finally {
      connection.disconnect();
      await queue.close();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => hung.close(resolve));
    }
  });

  it('throws a TypeError for a connection it cannot use', () => {
    expect(() => new BullMQWebhookQueue({ connection: {} as never })).toThrow(/ioredis connection/);
    const prefixed = new Redis(server.url, { keyPrefix: 'x:', lazyConnect: true });
    expect(() => new BullMQWebhookQueue({ connection: prefixed })).toThrow(/keyPrefix/);
    prefixed.disconnect();
    expect(() => new BullMQWebhookQueue({ connection: redis, queueName: 'a:b' })).toThrow(
      /queueName/,
    );
  });
});
