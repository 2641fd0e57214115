// Threat: a Redis that is gone, hung, evicting or flushed must never approve a code, nor hang a request.
import { createCheckpoint, isCheckpointError, outboxChannel } from '@checkpoint/core';
import { makeRecord } from '@checkpoint/core/testing';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  keysByPrefix,
  type RedisServerHandle,
  startRedisServer,
  testPrefix,
} from '../testing/index.js';
import { createRedisStore, RedisStore } from './RedisStore.js';
import { testClient } from './testClient.js';

const SECRET = 'faults-test-secret-0123456789abcdefghij';
const TO = '+14155550100';

let server: RedisServerHandle;
let client: Redis;

beforeAll(async () => {
  server = await startRedisServer();
  client = await testClient(server.url);
});

afterEach(() => {
  server.resume();
});

afterAll(async () => {
  client.disconnect();
  await server.stop();
});

async function setup() {
  const store = await createRedisStore({
    redis: client,
    prefix: testPrefix('faults'),
    timeoutMs: 1_500,
  });
  const sms = outboxChannel({ name: 'sms' });
  const checkpoint = createCheckpoint({ secret: SECRET, channels: [sms], store });
  return { store, sms, checkpoint };
}

async function rejection(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('RedisStore when Redis fails', () => {
  it('answers store_unavailable while Redis hangs, approves nothing, and works when it answers again', async () => {
    const { checkpoint, sms } = await setup();
    const { id } = await checkpoint.send({ to: TO, purpose: 'login' });
    const code = sms.latest(TO)?.code ?? '';
    server.pause();
    const [check, send] = await Promise.all([
      rejection(() => checkpoint.check({ id, code })),
      rejection(() => checkpoint.send({ to: '+14155550101', purpose: 'login' })),
    ]);
    for (const error of [check, send]) {
      expect(isCheckpointError(error)).toBe(true);
      expect(error).toMatchObject({ code: 'store_unavailable', status: 503 });
    }
    server.resume();
    // The commands that timed out may still run once Redis wakes up: at most one of them was a
    // check, which spent an attempt on the right code and may have approved it. Nothing reached the
    // caller as approved; the verification is either still approvable or already consumed.
    const after = await checkpoint.get(id);
    expect(['pending', 'approved']).toContain(after.status);
    const next = await checkpoint.send({ to: '+14155550103', purpose: 'login' });
    expect(
      await checkpoint.check({ id: next.id, code: sms.latest('+14155550103')?.code ?? '' }),
    ).toMatchObject({ status: 'approved' });
    await checkpoint.close();
  });

  it('answers store_unavailable while Redis is down, approves nothing, and the same client recovers after a restart', async () => {
    const { checkpoint, sms } = await setup();
    const { id } = await checkpoint.send({ to: TO, purpose: 'login' });
    const code = sms.latest(TO)?.code ?? '';
    await server.kill();
    const errors = await Promise.all([
      rejection(() => checkpoint.check({ id, code })),
      rejection(() => checkpoint.send({ to: '+14155550102', purpose: 'login' })),
      rejection(() => checkpoint.get(id)),
    ]);
    for (const error of errors) expect(error).toMatchObject({ code: 'store_unavailable' });
    await server.restart();
    // Redis kept nothing (no persistence): the old verification is gone, and a new one works end to end.
    await expect.poll(() => client.status, { timeout: 10_000 }).toBe('ready');
    await expect(checkpoint.check({ id, code })).rejects.toMatchObject({ code: 'not_found' });
    const fresh = await checkpoint.send({ to: TO, purpose: 'login' });
    expect(
      await checkpoint.check({ id: fresh.id, code: sms.latest(TO)?.code ?? '' }),
    ).toMatchObject({ status: 'approved' });
    await checkpoint.close();
  });

  it('keeps working after SCRIPT FLUSH (EVALSHA falls back to EVAL)', async () => {
    const { checkpoint, sms } = await setup();
    const { id } = await checkpoint.send({ to: TO, purpose: 'login' });
    await client.script('FLUSH');
    expect(await checkpoint.check({ id, code: sms.latest(TO)?.code ?? '' })).toMatchObject({
      status: 'approved',
    });
    await checkpoint.close();
  });

  it('refuses to start on an evicting maxmemory-policy', async () => {
    await client.config('SET', 'maxmemory-policy', 'allkeys-lru');
    try {
      const error = await rejection(() =>
        createRedisStore({ redis: client, prefix: testPrefix('evict') }),
      );
      expect(error).toMatchObject({
        code: 'store_unavailable',
        message: expect.stringContaining('allkeys-lru') as unknown,
      });
      await client.config('SET', 'maxmemory-policy', 'volatile-lru');
      // Every Checkpoint key has a TTL, so volatile-* policies would evict them too.
      await expect(
        createRedisStore({ redis: client, prefix: testPrefix('evict') }),
      ).rejects.toMatchObject({ code: 'store_unavailable' });
    } finally {
      await client.config('SET', 'maxmemory-policy', 'noeviction');
    }
    await expect(
      createRedisStore({ redis: client, prefix: testPrefix('evict') }),
    ).resolves.toBeInstanceOf(RedisStore);
  });

  it('leaves no key behind once verifications expire and their grace period ends', async () => {
    const prefix = testPrefix('expiry');
    const store = new RedisStore({ redis: client, prefix, retainSeconds: 0 });
    const now = Date.now();
    const destinationHash = 'Zq9xExpiryDestinationH';
    const record = makeRecord({
      destinationHash,
      createdAt: now,
      lastSentAt: now,
      expiresAt: now + 300,
      failureWindowSeconds: 1,
    });
    await store.create(record);
    await store.recordDispatch({
      id: record.id,
      expiresAt: record.expiresAt,
      channel: 'sms',
      providerMessageId: 'SMexpiry',
      status: 'sent',
      now,
    });
    await store.check({ id: record.id, candidates: ['h:000000'], binding: {}, now });
    await store.hitCounters(
      [{ key: `dest:${destinationHash}:1`, limit: 5, windowSeconds: 1, cost: 1 }],
      now,
    );
    expect((await keysByPrefix(client, prefix)).length).toBe(4); // record, message index, failure budget, counter
    await expect
      .poll(() => keysByPrefix(client, prefix), { timeout: 5_000, interval: 200 })
      .toEqual([]);
  });
});
