// The REDIS_URL variant: stores, audit log, BullMQ timers and sessions in a real Redis (a private
// redis-server unless REDIS_URL names one), driven over HTTP through one password + code login.
import { redisOptions } from '@checkpoint/redis';
import {
  deleteByPrefix,
  keysByPrefix,
  type TestRedis,
  testPrefix,
  useTestRedis,
} from '@checkpoint/redis/testing';
import { Redis } from 'ioredis';
import request from 'supertest';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDemoApp, type DemoApp } from '../src/createDemoApp.js';

let server: TestRedis;
let demo: DemoApp;
const prefix = testPrefix('b2b-demo');

beforeAll(async () => {
  server = await useTestRedis();
  demo = await createDemoApp({
    redisUrl: server.url,
    redisPrefix: prefix,
    seed: false,
    log: () => {},
  });
});

afterAll(async () => {
  await demo?.close();
  const redis = new Redis(server.url, { ...redisOptions(), enableOfflineQueue: true });
  await deleteByPrefix(redis, prefix);
  await deleteByPrefix(redis, `{${prefix}bullmq}`);
  redis.disconnect();
  await server?.close();
});

it('boots on Redis and completes a password + code login with the session in Redis', async () => {
  expect(demo.backend).toBe('redis');
  const agent = request.agent(demo.app);
  await agent
    .post('/login')
    .type('form')
    .send({ email: 'ada@acme.example', password: 'acme-demo-password', returnTo: '/audit' })
    .expect(303)
    .expect('Location', '/login/otp');
  const code = /^(\d{6}) /.exec(demo.inbox.latest('+14155550101')?.text ?? '')?.[1] ?? '';
  await agent
    .post('/login/otp')
    .type('form')
    .send({ code })
    .expect(303)
    .expect('Location', '/audit');

  const audit = await agent.get('/audit').expect(200);
  expect(audit.text).toContain('verification.approved'); // read back from the Redis audit stream
  expect(audit.text).not.toContain(code);

  const redis = new Redis(server.url, { ...redisOptions(), enableOfflineQueue: true });
  try {
    expect((await keysByPrefix(redis, `${prefix}sess:`)).length).toBeGreaterThan(0);
  } finally {
    redis.disconnect();
  }
});
