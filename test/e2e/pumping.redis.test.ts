// The pumping guards on RedisStore: the same decisions as on MemoryStore, shared by processes.
import {
  type ConversionThrottle,
  createCheckpoint,
  MemoryStore,
  outboxChannel,
  pumpingGuards,
  type Store,
} from '@checkpoint/core';
import { ManualClock } from '@checkpoint/core/testing';
import { RedisStore } from '@checkpoint/redis';
import {
  deleteByPrefix,
  keysByPrefix,
  type TestRedis,
  testPrefix,
  useTestRedis,
} from '@checkpoint/redis/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPumpingSimulation } from '../bench/pumping/simulation.js';

const SECRET = 'e2e-pumping-secret-0123456789abcdefghijk';
const inBlock = (i: number) => `+44791112${String(i).padStart(4, '0')}`;

let server: TestRedis;
let redis: Redis;
const prefixes: string[] = [];

beforeAll(async () => {
  server = await useTestRedis();
  redis = new Redis(server.url);
});

afterAll(async () => {
  for (const prefix of prefixes) await deleteByPrefix(redis, prefix);
  await redis.quit();
  await server.close();
});

function redisStore(): { store: Store; prefix: string } {
  const prefix = testPrefix('pumping');
  prefixes.push(prefix);
  return { store: new RedisStore({ redis, prefix }), prefix };
}

/** One "process": a checkpoint with the full pumping defence on `store`. */
function processOn(store: Store, clock: ManualClock, throttles: ConversionThrottle[] = []) {
  const sms = outboxChannel({ name: 'sms' });
  let address = 0;
  const checkpoint = createCheckpoint({
    secret: SECRET,
    channels: [sms],
    store,
    clock,
    guards: pumpingGuards({ onThrottle: (event) => void throttles.push(event) }),
  });
  const send = (to: string, tenantId?: string) => {
    address += 1;
    return checkpoint.send({
      to,
      purpose: 'signup',
      context: { ip: `10.9.${address >> 8}.${address & 255}` },
      ...(tenantId === undefined ? {} : { tenantId }),
    });
  };
  const approve = async (to: string) => {
    const { id } = await send(to);
    return checkpoint.check({ id, code: sms.latest(to)?.code ?? '' });
  };
  return { checkpoint, send, approve, sms };
}

describe.each([
  [
    'MemoryStore',
    (): { store: Store; prefix: string } => ({ store: new MemoryStore(), prefix: '' }),
  ],
  ['RedisStore', redisStore],
])('pumping guards on %s', (_name, makeStore) => {
  it('refuses premium-rate numbers and throttles a block whose codes nobody enters', async () => {
    const clock = new ManualClock();
    const throttles: ConversionThrottle[] = [];
    const { send } = processOn(makeStore().store, clock, throttles);
    await expect(send('+19005550100')).rejects.toMatchObject({
      code: 'fraud_detected',
      reasons: ['pumping:line_type:premium_rate'],
    });
    for (let i = 0; i < 9; i += 1) await send(inBlock(i));
    await expect(send(inBlock(9))).rejects.toMatchObject({
      code: 'fraud_detected',
      reasons: ['pumping:conversion:prefix'],
      retryAfter: 1_800,
    });
    expect(throttles).toMatchObject([{ scope: 'prefix', range: '+44791112', sends: 10 }]);
    // Recovery: an hour and a half later the judged window holds none of it.
    await clock.advance(90 * 60_000);
    await expect(send(inBlock(10))).resolves.toMatchObject({ status: 'pending' });
  });

  it('keeps a block whose users enter their codes open', async () => {
    const clock = new ManualClock();
    const { approve } = processOn(makeStore().store, clock);
    for (let i = 0; i < 30; i += 1) {
      await expect(approve(inBlock(i))).resolves.toMatchObject({ status: 'approved' });
      await clock.advance(40_000);
    }
  });

  it('refuses a burst on one block, per tenant limits on a shared count', async () => {
    const { store } = makeStore();
    const { checkpoint, send } = processOn(store, new ManualClock());
    await checkpoint.configure('default', { pumping: { conversionMinPercent: 0 } });
    await checkpoint.configure('small', {
      pumping: { conversionMinPercent: 0, prefixBurst: { limit: 5, windowSeconds: 600 } },
    });
    for (let i = 0; i < 5; i += 1) await send(inBlock(i));
    await expect(send(inBlock(5), 'small')).rejects.toMatchObject({
      reasons: ['pumping:prefix_burst'],
    });
    // The refused send counted nowhere: the default tenant's 20th send is still allowed.
    for (let i = 6; i < 21; i += 1) await send(inBlock(i));
    await expect(send(inBlock(21))).rejects.toMatchObject({ reasons: ['pumping:prefix_burst'] });
  });

  it('shares counts and throttles between processes, and tells the app once', async () => {
    const { store } = makeStore();
    const clock = new ManualClock();
    const throttles: ConversionThrottle[] = [];
    const a = processOn(store, clock, throttles);
    const b = processOn(store, clock, throttles);
    for (let i = 0; i < 9; i += 1) await (i % 2 === 0 ? a : b).send(inBlock(i));
    await expect(a.send(inBlock(9))).rejects.toMatchObject({
      reasons: ['pumping:conversion:prefix'],
    });
    await expect(b.send(inBlock(10))).rejects.toMatchObject({
      reasons: ['pumping:conversion:prefix'],
    });
    expect(throttles).toHaveLength(1);
  });
});

describe('pumping on RedisStore', () => {
  it('keeps counter keys under the store prefix, holding hashes, never numbers or IPs', async () => {
    const { store, prefix } = redisStore();
    const { send, approve } = processOn(store, new ManualClock());
    await send(inBlock(1));
    await approve(inBlock(2));
    const keys = await keysByPrefix(redis, prefix);
    expect(keys.some((key) => key.includes(':pcs:'))).toBe(true);
    expect(keys.some((key) => key.includes(':pca:'))).toBe(true);
    for (const key of keys) {
      expect(key.startsWith(prefix)).toBe(true);
      expect(key).not.toMatch(/44791112|10\.9\./);
    }
  });

  it('gives the simulation the same figures as MemoryStore, within the targets', async () => {
    const options = { seed: 11, legitUsers: 500, attackSends: 2_400, hours: 3 };
    const onRedis = await runPumpingSimulation({ ...options, store: redisStore().store });
    const inMemory = await runPumpingSimulation(options);
    expect(onRedis).toEqual(inMemory);
    expect(onRedis.attack.blockedShare).toBeGreaterThanOrEqual(0.95);
    expect(onRedis.legit.blockedShare).toBeLessThanOrEqual(0.01);
  });
});
