// Threat: a step-up grant used twice, or a sign-out undone, by requests of one session spread over app processes that share Redis.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createRedisStore, redisOptions } from '@checkpoint/redis';
import {
  deleteByPrefix,
  type TestRedis,
  testPrefix,
  useTestRedis,
} from '@checkpoint/redis/testing';
import { RedisStore as RedisSessionStore } from 'connect-redis';
import { Redis } from 'ioredis';
import { createClient, type RedisClientType } from 'redis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { redisBarrier } from './fixtures/barrier.js';
import { PHONE, stepUpApp } from './fixtures/stepUpApp.js';

const SERVER = fileURLToPath(new URL('./fixtures/stepUpServer.ts', import.meta.url));
const VISA = '4111111111111111';

let redis: TestRedis;
let ioredis: Redis;
let sessions: RedisClientType;
const prefixes: string[] = [];
const servers: Server[] = [];
const children: ChildProcess[] = [];

beforeAll(async () => {
  redis = await useTestRedis();
  ioredis = new Redis(redis.url, redisOptions());
  sessions = createClient({ url: redis.url });
  await sessions.connect();
});

afterEach(async () => {
  for (const child of children.splice(0)) {
    child.kill('SIGTERM');
    if (child.exitCode === null) await once(child, 'exit');
  }
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  for (const prefix of prefixes.splice(0)) await deleteByPrefix(ioredis, prefix);
});

afterAll(async () => {
  await sessions.close();
  ioredis.disconnect();
  await redis.close();
});

/** Prefixes for one test: the Checkpoint's keys and the sessions'. */
function freshPrefixes() {
  const store = testPrefix('stepup-store');
  const session = testPrefix('stepup-sess');
  prefixes.push(store, session);
  return { store, session };
}

/** This process's app on RedisStore and connect-redis, listening; resolves with its base URL. */
async function localApp(prefix: { store: string; session: string }) {
  const fixture = stepUpApp({
    barrier: redisBarrier(ioredis, prefix.store),
    store: await createRedisStore({ redis: ioredis, prefix: prefix.store }),
    sessionStore: new RedisSessionStore({ client: sessions, prefix: prefix.session }),
  });
  const server = fixture.app.listen(0, '127.0.0.1');
  servers.push(server);
  await once(server, 'listening');
  return { fixture, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** The same app in another Node process on the same Redis; resolves with its base URL. */
async function childApp(prefix: { store: string; session: string }): Promise<string> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=source', SERVER, redis.url, prefix.store, prefix.session],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  children.push(child);
  let output = '';
  child.stdout?.setEncoding('utf8');
  return new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the app process exited (${code})`)));
    child.stdout?.on('data', (chunk: string) => {
      output += chunk;
      const port = /PORT (\d+)/.exec(output)?.[1];
      if (port !== undefined) resolve(`http://127.0.0.1:${port}`);
    });
  });
}

/** A client with one cookie, as a browser (or an attacker holding its cookie) is. */
function client(base: string, cookie: { value: string }) {
  return async (
    path: string,
    init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
  ) => {
    const response = await fetch(`${base}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        accept: 'application/json',
        'content-type': 'application/json',
        ...(cookie.value === '' ? {} : { cookie: cookie.value }),
        ...init.headers,
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    const set = response.headers.getSetCookie().find((entry) => entry.startsWith('sid='));
    if (set !== undefined) cookie.value = set.split(';')[0] ?? '';
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
}

/** Signs in on `base` and steps up for a VISA card change; resolves with the session cookie. */
async function steppedUp(base: string, sms: ReturnType<typeof stepUpApp>['sms']) {
  const cookie = { value: '' };
  const call = client(base, cookie);
  expect((await call('/login', { method: 'POST', body: {} })).status).toBe(200);
  expect((await call('/billing', { method: 'POST', body: { card: VISA } })).status).toBe(401);
  const started = await call('/auth/step-up/billing_change/otp/start', {
    method: 'POST',
    body: {},
  });
  const verified = await call('/auth/step-up/billing_change/otp/verify', {
    method: 'POST',
    body: { id: started.body.id, code: sms.latest(PHONE)?.code },
  });
  expect(verified.body).toMatchObject({ status: 'approved', satisfied: true });
  return cookie;
}

describe('step-up grants on RedisStore with connect-redis sessions', () => {
  it('runs the handler for exactly one of 8 requests released together', async () => {
    const prefix = freshPrefixes();
    const { fixture, base } = await localApp(prefix);
    const cookie = await steppedUp(base, fixture.sms);
    const call = client(base, { ...cookie });
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        call('/billing', {
          method: 'POST',
          body: { card: VISA },
          headers: { 'x-barrier': 'one-process:8' },
        }),
      ),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([
      200, 401, 401, 401, 401, 401, 401, 401,
    ]);
    expect(fixture.runs.billing).toEqual([VISA]);
  });

  it('runs the handler once across two app processes sharing Redis', async () => {
    const prefix = freshPrefixes();
    const { fixture, base } = await localApp(prefix);
    const other = await childApp(prefix);
    const cookie = await steppedUp(base, fixture.sms);
    const here = client(base, { ...cookie });
    const there = client(other, { ...cookie });
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, index) =>
        (index % 2 === 0 ? here : there)('/billing', {
          method: 'POST',
          body: { card: VISA },
          headers: { 'x-barrier': 'two-processes:8' },
        }),
      ),
    );
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(1);
    expect(answers.filter((answer) => answer.status === 401)).toHaveLength(7);
    const remote = (await there('/test/runs')).body as { billing: string[] };
    expect([...fixture.runs.billing, ...remote.billing]).toEqual([VISA]);
  });

  it('stays signed out when a request in flight in the other process saves its copy afterwards', async () => {
    const prefix = freshPrefixes();
    const { base } = await localApp(prefix);
    const other = await childApp(prefix);
    const cookie = { value: '' };
    await client(base, cookie)('/login', { method: 'POST', body: {} });
    const there = client(other, { ...cookie });
    const slow = there('/slow', { method: 'POST', body: {} });
    await expect
      .poll(async () => ((await there('/test/waiting')).body as { waiting: number }).waiting)
      .toBe(1);
    expect(
      (await client(base, { ...cookie })('/logout', { method: 'POST', body: {} })).status,
    ).toBe(200);
    await there('/test/release', { method: 'POST', body: {} });
    expect((await slow).status).toBe(200);
    expect((await client(base, { ...cookie })('/me')).status).toBe(401);
    expect((await client(other, { ...cookie })('/me')).status).toBe(401);
  });
});
