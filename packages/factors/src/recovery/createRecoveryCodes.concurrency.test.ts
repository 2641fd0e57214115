// Racing one recovery code from many requests (and many processes) must approve it exactly once.
import { createCheckpoint, MemoryStore, outboxChannel } from '@checkpoint/core';
import {
  deleteByPrefix,
  type TestRedis,
  testPrefix,
  useTestRedis,
} from '@checkpoint/redis/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFactors } from '../createFactors.js';
import { ADA, harness, SECRET } from '../fixtures/harness.js';
import { RedisFactorStore } from '../redis/RedisFactorStore.js';

let server: TestRedis;
const clients: Redis[] = [];
const prefix = testPrefix('factors-rc');

beforeAll(async () => {
  server = await useTestRedis();
});

afterAll(async () => {
  const admin = new Redis(server.url);
  await deleteByPrefix(admin, prefix);
  await Promise.all([admin, ...clients].map((client) => client.quit()));
  await server.close();
});

describe('a recovery code used concurrently', () => {
  it('is approved for exactly one of 50 parallel uses in one process', async () => {
    const { factors } = harness({ attempts: { limit: 100, windowSeconds: 900 } });
    const { codes } = await factors.recoveryCodes.generate({ owner: ADA });
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        factors.recoveryCodes.use({ owner: ADA, code: codes[0] as string }),
      ),
    );
    expect(results.filter((r) => r.status === 'approved')).toHaveLength(1);
    expect(await factors.recoveryCodes.status(ADA)).toMatchObject({ remaining: 9 });
  });

  it('is approved for exactly one of 40 parallel uses from four processes sharing Redis', async () => {
    const checkpoint = createCheckpoint({
      secret: SECRET,
      channels: [outboxChannel({ name: 'sms' })],
      store: new MemoryStore(),
    });
    const processes = Array.from({ length: 4 }, () => {
      const client = new Redis(server.url);
      clients.push(client);
      return createFactors({
        secret: SECRET,
        checkpoint,
        attempts: { limit: 100, windowSeconds: 900 },
        store: new RedisFactorStore({ redis: client, prefix }),
        totp: { issuer: 'Acme' },
      });
    });
    const { codes } = await (processes[0] as (typeof processes)[0]).recoveryCodes.generate({
      owner: ADA,
    });
    const results = await Promise.all(
      processes.flatMap((factors) =>
        Array.from({ length: 10 }, () =>
          factors.recoveryCodes.use({ owner: ADA, code: codes[1] as string }),
        ),
      ),
    );
    expect(results.filter((r) => r.status === 'approved')).toHaveLength(1);
  });
});
