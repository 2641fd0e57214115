// Several processes share challenges through Redis: a ceremony finishes anywhere, once, and an outage never passes.
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
import { attestedHarness, createHarness } from './fixtures/harness.js';

let server: TestRedis;
let redis: Redis;
const prefix = testPrefix('webauthn');

beforeAll(async () => {
  server = await useTestRedis();
  redis = new Redis(server.url);
});

afterAll(async () => {
  await deleteByPrefix(redis, prefix);
  await redis.quit();
  await server.close();
});

describe('createWebAuthn on a RedisStore', () => {
  it('registers and steps up to AAL3 with options from one process and verification in another', async () => {
    const processA = await attestedHarness({ store: new RedisStore({ redis, prefix }) });
    const processB = await attestedHarness({
      store: new RedisStore({ redis, prefix }),
      credentials: processA.credentials,
    });
    const authenticator = processA.securityKey();

    const creation = await processA.webauthn.registrationOptions({
      userId: 'u_ada',
      userName: 'ada@acme.example',
    });
    expect(await keysByPrefix(redis, prefix)).toHaveLength(1);
    const credential = await processB.webauthn.verifyRegistration({
      userId: 'u_ada',
      response: authenticator.register(creation),
    });

    const request = await processB.webauthn.authenticationOptions({ userId: 'u_ada' });
    const result = await processA.webauthn.verifyAuthentication({
      userId: 'u_ada',
      response: authenticator.authenticate(request),
    });
    expect(result).toMatchObject({
      userId: 'u_ada',
      credential: { id: credential.id, counter: 1 },
      factor: { method: 'webauthn', aal: 3, userVerified: true, deviceBound: true },
    });
    // Spent challenges are deleted, not left to expire.
    expect(await keysByPrefix(redis, prefix)).toEqual([]);
  });

  it('refuses a replayed assertion and an expired challenge', async () => {
    const harness = createHarness({ store: new RedisStore({ redis, prefix }) });
    const authenticator = harness.authenticator();
    await harness.register(authenticator);
    const request = await harness.webauthn.authenticationOptions({ userId: 'u_ada' });
    const response = authenticator.authenticate(request);

    await harness.webauthn.verifyAuthentication({ userId: 'u_ada', response });
    await expect(
      harness.webauthn.verifyAuthentication({ userId: 'u_ada', response }),
    ).rejects.toMatchObject({ reasons: ['webauthn:challenge'] });

    const late = await harness.webauthn.authenticationOptions({ userId: 'u_ada' });
    harness.clock.advanceSeconds(300);
    await expect(
      harness.webauthn.verifyAuthentication({
        userId: 'u_ada',
        response: authenticator.authenticate(late),
      }),
    ).rejects.toMatchObject({ reasons: ['webauthn:challenge'] });
  });

  it('lets exactly one of ten concurrent submissions through, across two clients', async () => {
    const second = new Redis(server.url);
    try {
      const harness = createHarness({ store: new RedisStore({ redis, prefix }) });
      const other = createHarness({
        store: new RedisStore({ redis: second, prefix }),
        credentials: harness.credentials,
      });
      const authenticator = harness.authenticator();
      await harness.register(authenticator);
      const request = await harness.webauthn.authenticationOptions({ userId: 'u_ada' });
      const response = authenticator.authenticate(request);

      const outcomes = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) =>
          (i % 2 === 0 ? harness : other).webauthn.verifyAuthentication({
            userId: 'u_ada',
            response,
          }),
        ),
      );
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    } finally {
      await second.quit();
    }
  });

  it('answers store_unavailable, never a pass, when Redis cannot be reached', async () => {
    const unreachable = new Redis({
      host: '127.0.0.1',
      port: 1,
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    try {
      const healthy = createHarness({ store: new RedisStore({ redis, prefix }) });
      const authenticator = healthy.authenticator();
      await healthy.register(authenticator);
      const request = await healthy.webauthn.authenticationOptions({ userId: 'u_ada' });

      const broken = createHarness({
        store: new RedisStore({ redis: unreachable, prefix }),
        credentials: healthy.credentials,
      });
      await expect(
        broken.webauthn.authenticationOptions({ userId: 'u_ada' }),
      ).rejects.toMatchObject({ code: 'store_unavailable', status: 503 });
      await expect(
        broken.webauthn.verifyAuthentication({
          userId: 'u_ada',
          response: authenticator.authenticate(request),
        }),
      ).rejects.toMatchObject({ code: 'store_unavailable' });
    } finally {
      unreachable.disconnect();
    }
  });
});
