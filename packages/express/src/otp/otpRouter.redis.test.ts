import { once } from 'node:events';
import { createRedisStore, redisOptions } from '@checkpoint/redis';
import {
  deleteByPrefix,
  type TestRedis,
  testPrefix,
  useTestRedis,
} from '@checkpoint/redis/testing';
import { Redis } from 'ioredis';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { answer, otpTestApp, PHONE } from '../testing/otpTestApp.js';
import type { OtpRouterOptions } from './OtpRouterOptions.js';

let server: TestRedis;
let redis: Redis;
const prefixes: string[] = [];

beforeAll(async () => {
  server = await useTestRedis();
  redis = new Redis(server.url, redisOptions());
  if (redis.status !== 'ready') await once(redis, 'ready');
});

afterEach(async () => {
  for (const prefix of prefixes.splice(0)) await deleteByPrefix(redis, prefix);
});

afterAll(async () => {
  redis.disconnect();
  await server.close();
});

async function redisApp(router: Partial<OtpRouterOptions> = {}) {
  const prefix = testPrefix('express');
  prefixes.push(prefix);
  const store = await createRedisStore({ redis, prefix });
  return { ...otpTestApp({ store, router }), prefix };
}

describe('otpRouter on a RedisStore', () => {
  it('sends, rejects a wrong code, resends after the cooldown and approves', async () => {
    const { app, clock, sms, codeFor, wrongFor } = await redisApp();
    const sent = await request(app).post('/otp/send').send({ to: PHONE, purpose: 'login' });
    expect(sent.status).toBe(202);
    const wrong = await request(app)
      .post('/otp/check')
      .send({ id: answer(sent).id, code: wrongFor(codeFor(PHONE)) });
    expect(wrong.body).toEqual({ status: 'failed', remainingAttempts: 4 });
    expect((await request(app).post(`/otp/${answer(sent).id}/resend`)).status).toBe(429);
    await clock.advance(30_000);
    const resent = await request(app)
      .post(`/otp/${answer(sent).id}/resend`)
      .send({ channel: 'sms' });
    expect(resent.status).toBe(202);
    expect(sms.messages).toHaveLength(2);
    const ok = await request(app)
      .post('/otp/check')
      .send({ id: answer(sent).id, code: codeFor(PHONE) });
    expect(ok.body).toEqual({ status: 'approved', remainingAttempts: 3 });
    expect(
      (
        await request(app)
          .post('/otp/check')
          .send({ id: answer(sent).id, code: codeFor(PHONE) })
      ).status,
    ).toBe(404);
  });

  it('cancels with 204 and then answers canceled', async () => {
    const { app, codeFor } = await redisApp();
    const sent = await request(app).post('/otp/send').send({ to: PHONE, purpose: 'login' });
    expect((await request(app).post(`/otp/${answer(sent).id}/cancel`)).status).toBe(204);
    const res = await request(app)
      .post('/otp/check')
      .send({ id: answer(sent).id, code: codeFor(PHONE) });
    expect(res.body).toEqual({ status: 'canceled', remainingAttempts: 5 });
  });

  it('keeps the failed-check count in Redis, where every process sees it', async () => {
    const limits = { failedChecks: { perIp: { limit: 1, windowSeconds: 900 } } };
    const first = await redisApp(limits);
    const a = await request(first.app).post('/otp/send').send({ to: PHONE, purpose: 'login' });
    expect(
      (
        await request(first.app)
          .post('/otp/check')
          .send({ id: answer(a).id, code: first.wrongFor(first.codeFor(PHONE)) })
      ).status,
    ).toBe(200);
    // A second app with its own checkpoint, store object and cache, on the same Redis keys.
    const second = otpTestApp({
      store: await createRedisStore({ redis, prefix: first.prefix }),
      router: limits,
    });
    const b = await request(second.app)
      .post('/otp/send')
      .send({ to: '+14155550123', purpose: 'login' });
    const over = await request(second.app)
      .post('/otp/check')
      .send({ id: answer(b).id, code: second.wrongFor(second.codeFor('+14155550123')) });
    expect(over.status).toBe(429);
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('answers decoys from Redis-held counters: failed, counting down, then max_attempts', async () => {
    const { app } = await redisApp({ resolveDestination: () => undefined });
    const sent = await request(app).post('/otp/send').send({ to: 'nobody', purpose: 'login' });
    expect(sent.status).toBe(202);
    const answers = [];
    for (let i = 0; i < 6; i += 1) {
      const res = await request(app)
        .post('/otp/check')
        .send({ id: answer(sent).id, code: '123456' });
      answers.push(`${answer(res).status}:${answer(res).remainingAttempts}`);
    }
    expect(answers).toEqual([
      'failed:4',
      'failed:3',
      'failed:2',
      'failed:1',
      'failed:0',
      'max_attempts:0',
    ]);
    expect((await request(app).post(`/otp/${answer(sent).id}/resend`)).status).toBe(404);
  });
});
