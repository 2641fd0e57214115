// Login transactions on Redis: shared by every app process, still single-use.
import { createRedisStore } from '@checkpoint/redis';
import {
  deleteByPrefix,
  keysByPrefix,
  type TestRedis,
  testPrefix,
  useTestRedis,
} from '@checkpoint/redis/testing';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectRefused, idpConfig, REDIRECT_URI, testSso } from './fixtures/sso.js';
import { MFA_LOGIN, startTestIdp, type TestIdp } from './testing/index.js';

let server: TestRedis;
let redis: Redis;
let idp: TestIdp;
const prefixes: string[] = [];

beforeAll(async () => {
  [server, idp] = await Promise.all([
    useTestRedis(),
    startTestIdp({ login: MFA_LOGIN, redirectUris: [REDIRECT_URI] }),
  ]);
  redis = new Redis(server.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
});

afterEach(async () => {
  for (const prefix of prefixes.splice(0)) await deleteByPrefix(redis, prefix);
});

afterAll(async () => {
  await redis.quit();
  await Promise.all([server.close(), idp.close()]);
});

async function redisSso() {
  const prefix = testPrefix('oidc');
  prefixes.push(prefix);
  const store = await createRedisStore({ redis, prefix });
  return { ...testSso({ acme: idpConfig(idp) }, { store }), prefix };
}

describe('transactions on RedisStore', () => {
  it('keeps one ticket per login in progress and none once the callback completed', async () => {
    const { sso, prefix } = await redisSso();
    const { url, transaction } = await sso.start({ tenantId: 'acme' });
    const keys = await keysByPrefix(redis, prefix);
    expect(keys).toHaveLength(1);
    // The ticket carries the PKCE verifier: it expires on its own if the user never comes back.
    const ttl = await redis.pttl(keys[0] ?? '');
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(600_000);

    const currentUrl = await idp.loginThrough(url);
    const result = await sso.callback({ tenantId: 'acme', currentUrl, transaction });
    expect(result.subject.key).toBe(`${idp.issuer}#alice`);
    expect(await keysByPrefix(redis, prefix)).toEqual([]);
  });

  it('refuses a reused callback, and lets one of two concurrent callbacks through', async () => {
    const { sso } = await redisSso();
    const { url, transaction } = await sso.start({ tenantId: 'acme' });
    const currentUrl = await idp.loginThrough(url);
    const outcomes = await Promise.allSettled([
      sso.callback({ tenantId: 'acme', currentUrl, transaction }),
      sso.callback({ tenantId: 'acme', currentUrl, transaction }),
    ]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    await expectRefused(
      sso.callback({ tenantId: 'acme', currentUrl, transaction }),
      'oidc:transaction_unknown',
    );
  });

  it('refuses a transaction past its time on the app clock', async () => {
    const { sso, clock } = await redisSso();
    const { url, transaction } = await sso.start({ tenantId: 'acme' });
    const currentUrl = await idp.loginThrough(url);
    clock.offset = 601_000;
    await expectRefused(
      sso.callback({ tenantId: 'acme', currentUrl, transaction }),
      'oidc:transaction_unknown',
    );
  });
});
