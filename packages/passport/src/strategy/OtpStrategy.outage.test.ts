// Threat: a store outage during a check must surface as an error, never as a login or a plain 401.
import { createRedisStore, redisOptions } from '@checkpoint/redis';
import { type RedisServerHandle, startRedisServer, testPrefix } from '@checkpoint/redis/testing';
import { Redis } from 'ioredis';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE, byPhone, otpApp, testCheckpoint } from '../fixtures/otpApp.js';
import { OtpStrategy } from './OtpStrategy.js';

let server: RedisServerHandle;
let redis: Redis;

beforeAll(async () => {
  // A private server: this suite kills it, which a shared REDIS_URL server must never see.
  server = await startRedisServer();
  redis = new Redis(server.url, redisOptions());
});

afterAll(async () => {
  redis.disconnect();
  await server.stop();
});

describe('OtpStrategy when the store is down', () => {
  it('passes store_unavailable to the error handler and logs nobody in', async () => {
    const store = await createRedisStore({ redis, prefix: testPrefix('passport-outage') });
    const { checkpoint, sms } = testCheckpoint(store);
    const app = otpApp(new OtpStrategy({ checkpoint }, byPhone()));
    const agent = request.agent(app);
    const { id } = await checkpoint.send({ to: ALICE.phone, purpose: 'login' });
    const code = sms.latest(ALICE.phone)?.code;

    await server.kill();
    const response = await agent.post('/login/otp').send({ id, code });
    expect(response.status).toBe(500);
    expect(response.body).toEqual({ error: 'store_unavailable' });
    expect((await agent.get('/me')).status).toBe(401);

    await server.restart();
    await checkpoint.close();
  });

  it('answers with an error while the store hangs, and logs the user in once it answers again', async () => {
    const store = await createRedisStore({ redis, prefix: testPrefix('passport-hang') });
    const { checkpoint, sms } = testCheckpoint(store);
    const app = otpApp(new OtpStrategy({ checkpoint }, byPhone()));
    const { id } = await checkpoint.send({ to: ALICE.phone, purpose: 'login' });
    const code = sms.latest(ALICE.phone)?.code;

    server.pause();
    const hung = await request(app).post('/login/otp').send({ id, code });
    server.resume();
    expect(hung.status).toBe(500);
    expect(hung.body).toEqual({ error: 'store_unavailable' });

    // The timed-out check may still have run when Redis woke up (and consumed the approval), so
    // log in with a fresh verification.
    const next = await checkpoint.send({ to: ALICE.phone, purpose: 'login' });
    const retry = await request(app)
      .post('/login/otp')
      .send({ id: next.id, code: sms.latest(ALICE.phone)?.code });
    expect(retry.status).toBe(200);
    await checkpoint.close();
  });
});
