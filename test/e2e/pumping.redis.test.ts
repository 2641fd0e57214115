// The pumping guards on RedisStore: the same decisions as on MemoryStore, shared by processes.
import {
  type ConversionThrottle,
  createCheckpoint,
  MemoryStore,
  outboxChannel,
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

const SECOND = 1_000;
const MINUTE = 60_000;
/** A send is judged once its minute ended 90 s ago: 150 s after a send at the top of a minute. */
const JUDGED = 150 * SECOND;

/** Mobile numbers of Great Britain, each in a block of its own. */
const british = (i: number) => `+4474${String(i).padStart(3, '0')}12345`;
/** Mobile numbers of Tajikistan, each in a block of its own. */
const sprayed = (i: number) => `+99290${String(i).padStart(3, '0')}1234`;

/**
 * One "process": a checkpoint with the default pumping defence on `store`. Each send comes from a
 * /24 of its own unless given an IP, so that only the scope under test fills up.
 */
function processOn(store: Store, clock: ManualClock, throttles: ConversionThrottle[] = []) {
  const sms = outboxChannel({ name: 'sms' });
  let address = 0;
  const checkpoint = createCheckpoint({
    secret: SECRET,
    channels: [sms],
    store,
    clock,
    pumping: { onThrottle: (event) => void throttles.push(event) },
  });
  const send = (to: string, options: { tenantId?: string; ip?: string } = {}) => {
    address += 1;
    return checkpoint.send({
      to,
      purpose: 'signup',
      context: { ip: options.ip ?? `10.${address >> 8}.${address & 255}.9` },
      ...(options.tenantId === undefined ? {} : { tenantId: options.tenantId }),
    });
  };
  const approve = async (to: string, options: { ip?: string } = {}) => {
    const { id } = await send(to, options);
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
  it('refuses premium-rate numbers and closes a block whose judged codes nobody enters', async () => {
    const clock = new ManualClock();
    const throttles: ConversionThrottle[] = [];
    const { send } = processOn(makeStore().store, clock, throttles);
    await expect(send('+19005550100')).rejects.toMatchObject({
      code: 'fraud_detected',
      reasons: ['pumping:line_type:premium_rate'],
    });
    for (let i = 0; i < 8; i += 1) await send(inBlock(i));
    // Not judged while its users may still be typing.
    await clock.advance(JUDGED - SECOND);
    await expect(send(inBlock(8))).resolves.toMatchObject({ status: 'pending' });
    await clock.advance(SECOND);
    await expect(send(inBlock(9))).rejects.toMatchObject({
      code: 'fraud_detected',
      reasons: ['pumping:conversion:prefix'],
      retryAfter: 900,
    });
    expect(throttles).toMatchObject([
      { scope: 'prefix', range: '+44791112', sends: 8, approvals: 0, minPercent: 20 },
    ]);
    // Recovery: once the window (30 minutes) holds none of it.
    await clock.advance(31 * MINUTE);
    await expect(send(inBlock(10))).resolves.toMatchObject({ status: 'pending' });
  });

  it('keeps a block whose users enter their codes open', async () => {
    const clock = new ManualClock();
    const throttles: ConversionThrottle[] = [];
    const { approve } = processOn(makeStore().store, clock, throttles);
    for (let i = 0; i < 30; i += 1) {
      await expect(approve(inBlock(i))).resolves.toMatchObject({ status: 'approved' });
      await clock.advance(40 * SECOND);
    }
    expect(throttles).toEqual([]);
  });

  it('refuses a burst on one block, per tenant limits on a shared count', async () => {
    const { store } = makeStore();
    const { checkpoint, send } = processOn(store, new ManualClock());
    await checkpoint.configure('default', { pumping: { conversionMinPercent: 0 } });
    await checkpoint.configure('small', {
      pumping: { conversionMinPercent: 0, prefixBurst: { limit: 5, windowSeconds: 600 } },
    });
    for (let i = 0; i < 5; i += 1) await send(inBlock(i));
    await expect(send(inBlock(5), { tenantId: 'small' })).rejects.toMatchObject({
      reasons: ['pumping:prefix_burst'],
    });
    // The refused send counted nowhere: the default tenant's 20th send is still allowed.
    for (let i = 6; i < 21; i += 1) await send(inBlock(i));
    await expect(send(inBlock(21))).rejects.toMatchObject({ reasons: ['pumping:prefix_burst'] });
  });

  it('closes an IPv4 /24 and an IPv6 /48 whose judged codes nobody enters', async () => {
    const clock = new ManualClock();
    const throttles: ConversionThrottle[] = [];
    const { send } = processOn(makeStore().store, clock, throttles);
    // Each network to a country of its own, neither of them with enough sends to be judged.
    for (let i = 0; i < 10; i += 1) {
      await send(british(i), { ip: `198.51.100.${i + 1}` });
      await send(sprayed(i), { ip: `2001:db8:1:${i + 1}::1` });
    }
    await clock.advance(JUDGED);
    await expect(send(british(99), { ip: '198.51.100.200' })).rejects.toMatchObject({
      code: 'fraud_detected',
      reasons: ['pumping:conversion:network'],
    });
    await expect(send(sprayed(99), { ip: '2001:db8:1:ff::2' })).rejects.toMatchObject({
      code: 'fraud_detected',
      reasons: ['pumping:conversion:network'],
    });
    expect(throttles.map(({ scope, range, sends }) => ({ scope, range, sends }))).toEqual([
      { scope: 'network', range: '198.51.100', sends: 10 },
      { scope: 'network', range: '2001:db8:1', sends: 10 },
    ]);
    await expect(send(british(98), { ip: '198.51.101.1' })).resolves.toMatchObject({
      status: 'pending',
    });
  });

  it('closes a sprayed country, but not to a network whose codes are approved', async () => {
    const clock = new ManualClock();
    const throttles: ConversionThrottle[] = [];
    const { send, approve } = processOn(makeStore().store, clock, throttles);
    for (let i = 0; i < 3; i += 1) await approve(sprayed(i), { ip: `203.0.113.${i + 1}` });
    for (let i = 3; i < 23; i += 1) await send(sprayed(i));
    await clock.advance(JUDGED);
    await expect(send(sprayed(23))).rejects.toMatchObject({
      code: 'country_blocked',
      reasons: ['pumping:conversion:country'],
    });
    await expect(send(sprayed(24), { ip: '203.0.113.50' })).resolves.toMatchObject({
      status: 'pending',
    });
    expect(throttles).toMatchObject([{ scope: 'country', range: 'TJ', sends: 23, approvals: 3 }]);
  });

  it('does not count a send refused for its block as a send of its country', async () => {
    const clock = new ManualClock();
    const { checkpoint, send } = processOn(makeStore().store, clock);
    await checkpoint.configure('default', {
      pumping: { prefixBurst: { limit: 1_000, windowSeconds: 600 } },
    });
    const gbBlock = (i: number) => `+44740099${String(i).padStart(4, '0')}`;
    for (let i = 0; i < 8; i += 1) await send(gbBlock(i));
    await clock.advance(JUDGED);
    // Counted for the country, these 15 would close it (23 judged sends, none answered).
    for (let i = 8; i < 23; i += 1) {
      await expect(send(gbBlock(i))).rejects.toMatchObject({
        reasons: ['pumping:conversion:prefix'],
      });
    }
    await clock.advance(2 * MINUTE);
    await expect(send(british(1))).resolves.toMatchObject({ status: 'pending' });
  });

  it('shares counts and closed ranges between processes, and tells the app once', async () => {
    const { store } = makeStore();
    const clock = new ManualClock();
    const throttles: ConversionThrottle[] = [];
    const a = processOn(store, clock, throttles);
    const b = processOn(store, clock, throttles);
    for (let i = 0; i < 8; i += 1) await (i % 2 === 0 ? a : b).send(inBlock(i));
    await clock.advance(JUDGED);
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
  it('keeps counters and tallies under the store prefix, holding hashes, never numbers or IPs', async () => {
    const { store, prefix } = redisStore();
    const { send, approve } = processOn(store, new ManualClock());
    await send(inBlock(1), { ip: '198.51.100.7' });
    await approve(inBlock(2), { ip: '2001:db8:1::7' });
    const keys = await keysByPrefix(redis, prefix);
    expect(keys.some((key) => /\{pt:[^}]+\}:t$/.test(key))).toBe(true);
    expect(keys.some((key) => key.includes(':c:pb:'))).toBe(true);
    expect(keys.some((key) => key.includes(':c:nb:'))).toBe(true);
    for (const key of keys) {
      expect(key.startsWith(prefix)).toBe(true);
      expect(key.slice(prefix.length)).not.toMatch(/4479111|\+44|198\.51\.100|2001:db8/);
    }
  });

  it('gives the simulation the same figures as MemoryStore, within the targets', async () => {
    const options = { seed: 11, legitUsers: 500, attackSends: 2_400, hours: 3 };
    const onRedis = await runPumpingSimulation({ ...options, store: redisStore().store });
    const inMemory = await runPumpingSimulation(options);
    expect(onRedis).toEqual(inMemory);
    expect(onRedis.attack.blockedShare).toBeGreaterThanOrEqual(0.95);
    expect(onRedis.legit.blockedShare).toBeLessThanOrEqual(0.01);
    // Every scope had something to close.
    expect(onRedis.throttles.prefix).toBeGreaterThan(0);
    expect(onRedis.throttles.network).toBeGreaterThan(0);
  });
});
