// Password + OTP end to end with every piece of state in Redis: sessions (connect-redis over
// node-redis) and verifications (RedisStore over ioredis), shared by two app instances.
import { createCheckpoint, outboxChannel } from '@checkpoint/core';
import { createRedisStore, redisOptions } from '@checkpoint/redis';
import {
  deleteByPrefix,
  keysByPrefix,
  type TestRedis,
  testPrefix,
  useTestRedis,
} from '@checkpoint/redis/testing';
import { RedisStore as RedisSessionStore } from 'connect-redis';
import { Redis } from 'ioredis';
import { createClient, type RedisClientType } from 'redis';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { json, sessionCookie } from '../fixtures/otpApp.js';
import type { AuthState } from '../index.js';
import { secondFactorApp } from './secondFactorApp.js';
import { demoUser } from './users.js';

const alice = demoUser({
  id: 'u_alice',
  username: 'alice',
  password: 'alice-password',
  phone: '+14155550100',
});
const SECRET = 'redis-sessions-secret-0123456789abcdef';

let server: TestRedis;
let ioredis: Redis;
let nodeRedis: RedisClientType;
const prefixes: string[] = [];

beforeAll(async () => {
  server = await useTestRedis();
  ioredis = new Redis(server.url, redisOptions());
  nodeRedis = createClient({ url: server.url });
  await nodeRedis.connect();
});

afterEach(async () => {
  for (const prefix of prefixes.splice(0)) await deleteByPrefix(ioredis, prefix);
});

afterAll(async () => {
  await nodeRedis.close();
  ioredis.disconnect();
  await server.close();
});

/** `s%3A<sid>.<signature>` -> `<sid>` */
function sessionId(cookie: string | undefined): string {
  const value = decodeURIComponent(cookie?.split('=')[1] ?? '');
  return value.slice(2, value.lastIndexOf('.'));
}

async function appInstances(count: number) {
  const sessionPrefix = testPrefix('passport-sess');
  const storePrefix = testPrefix('passport-store');
  prefixes.push(sessionPrefix, storePrefix);
  const sms = outboxChannel({ name: 'sms' });
  const apps = [];
  for (let index = 0; index < count; index += 1) {
    // One Checkpoint and one session store per "process"; Redis is what they share.
    const checkpoint = createCheckpoint({
      secret: SECRET,
      channels: [sms],
      store: await createRedisStore({ redis: ioredis, prefix: storePrefix }),
    });
    const sessionStore = new RedisSessionStore({ client: nodeRedis, prefix: sessionPrefix });
    apps.push({ app: secondFactorApp({ checkpoint, users: [alice], sessionStore }), checkpoint });
  }
  return { apps, sms, sessionPrefix, storePrefix };
}

describe('second factor with Redis-backed sessions and RedisStore', () => {
  it('logs in with password and code, moving the pending session to a new id in Redis', async () => {
    const { apps, sms, sessionPrefix, storePrefix } = await appInstances(1);
    const { app, checkpoint } = apps[0] as (typeof apps)[number];
    const agent = request.agent(app);

    const password = await agent
      .post('/login/password')
      .send({ username: 'alice', password: 'alice-password' });
    expect(password.status).toBe(202);
    const pendingId = sessionId(sessionCookie(password));
    const pending: unknown = JSON.parse((await ioredis.get(sessionPrefix + pendingId)) ?? 'null');
    expect(pending).toMatchObject({
      pendingUserId: alice.id,
      pendingFactors: [{ method: 'pwd', amr: ['pwd'], aal: 1 }],
    });
    expect(pending).not.toHaveProperty('passport');
    // The verification lives in Redis too.
    expect((await keysByPrefix(ioredis, storePrefix)).some((key) => key.includes(':v:'))).toBe(
      true,
    );

    const otp = await agent
      .post('/login/otp')
      .send({ id: json(password).id, code: sms.latest(alice.phone)?.code });
    expect(otp.status).toBe(200);
    expect(otp.body).toEqual({ userId: alice.id, factors: ['pwd', 'otp-sms'] });

    const loggedInId = sessionId(sessionCookie(otp));
    expect(loggedInId).not.toBe(pendingId);
    // express-session's regenerate destroyed the pending session in Redis.
    expect(await ioredis.exists(sessionPrefix + pendingId)).toBe(0);
    const stored: unknown = JSON.parse((await ioredis.get(sessionPrefix + loggedInId)) ?? 'null');
    expect(stored).toMatchObject({
      passport: { user: alice.id },
      checkpoint: {
        userId: alice.id,
        tenantId: 'default',
        factors: [{ method: 'pwd' }, { method: 'otp-sms', codeLength: 6 }],
      },
    });
    expect(stored).not.toHaveProperty('pendingUserId');
    expect(stored).not.toHaveProperty('pendingFactors');
    expect((await agent.get('/me')).body).toMatchObject({ userId: alice.id });
    await checkpoint.close();
  });

  it('completes on a second app instance a login that started on the first', async () => {
    const { apps, sms } = await appInstances(2);
    const [first, second] = apps as [(typeof apps)[number], (typeof apps)[number]];

    const password = await request(first.app)
      .post('/login/password')
      .send({ username: 'alice', password: 'alice-password' });
    const pendingCookie = sessionCookie(password) ?? '';

    const otp = await request(second.app)
      .post('/login/otp')
      .set('Cookie', pendingCookie)
      .send({ id: json(password).id, code: sms.latest(alice.phone)?.code });
    expect(otp.status).toBe(200);
    const loggedInCookie = sessionCookie(otp) ?? '';

    const me = await request(first.app).get('/me').set('Cookie', loggedInCookie);
    expect(me.status).toBe(200);
    expect((json(me).auth as AuthState).factors.map((factor) => factor.method)).toEqual([
      'pwd',
      'otp-sms',
    ]);
    expect((await request(first.app).get('/me').set('Cookie', pendingCookie)).status).toBe(401);
    await Promise.all(apps.map(({ checkpoint }) => checkpoint.close()));
  });
});
