// Threat: guessing with parallel requests, or one guess past the limit, must not get more codes evaluated than the failed-check limits allow.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { CheckpointOptions } from '@checkpoint/core';
import { describe, expect, it } from 'vitest';
import { CountingStore } from '../testing/CountingStore.js';
import { memoryAndRedis } from '../testing/memoryAndRedis.js';
import { type OtpTestApp, otpTestApp } from '../testing/otpTestApp.js';
import type { OtpRouterOptions } from './OtpRouterOptions.js';

// Core's send caps would stop an attacker opening 200 verifications; lift them so the
// failed-check limits are what is tested.
const OPEN: Partial<CheckpointOptions> = {
  defaults: {
    velocity: {
      ip: [{ limit: 10_000, windowSeconds: 600 }],
      destination: [{ limit: 10_000, windowSeconds: 600 }],
    },
    destinationFailures: { limit: 100, windowSeconds: 86_400 },
    // One block of numbers from one address: the pumping guards would refuse it as a walk.
    pumping: { allow: ['+1415555'] },
  },
};

const phone = (index: number): string => `+1415555${String(1000 + index).padStart(4, '0')}`;

const stores = memoryAndRedis('express-concurrency', () => new CountingStore());

/** A listening server for `t.app`; requests to it are real HTTP over loopback. */
async function listen(t: OtpTestApp) {
  const server = t.app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    return {
      status: res.status,
      retryAfter: res.headers.get('retry-after'),
      setCookie: res.headers.get('set-cookie'),
      body: (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined,
    };
  };
  return { post, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Opens `count` verifications, one per number, bound as the router will check them. */
async function open(t: OtpTestApp, count: number, subject?: string) {
  const opened: Array<{ id: string; code: string }> = [];
  for (let i = 0; i < count; i += 1) {
    const { id } = await t.checkpoint.send({
      to: phone(i),
      purpose: 'login',
      ...(subject === undefined ? {} : { subject }),
    });
    opened.push({ id, code: t.codeFor(phone(i)) });
  }
  return opened;
}

/** Attempts spent across `opened`: how many of the checks the store evaluated. */
async function evaluated(t: OtpTestApp, opened: ReadonlyArray<{ id: string }>): Promise<number> {
  let spent = 0;
  for (const { id } of opened) spent += (await t.checkpoint.get(id)).attempts;
  return spent;
}

describe.each(stores)('otpRouter failed-check limits under concurrency (%s)', (_, makeStore) => {
  const app = async (router: Partial<OtpRouterOptions> = {}) =>
    otpTestApp({ checkpoint: OPEN, store: await makeStore(), router });

  it('evaluates at most 30 of 200 wrong checks released together from one IP; the rest answer 429 with Retry-After', async () => {
    const t = await app();
    const opened = await open(t, 200);
    const http = await listen(t);
    try {
      const answers = await Promise.all(
        opened.map(({ id, code }) => http.post('/otp/check', { id, code: t.wrongFor(code) })),
      );
      const spent = await evaluated(t, opened);
      expect(spent).toBeLessThanOrEqual(30);
      expect(answers.filter((res) => res.status === 200)).toHaveLength(spent);
      const refused = answers.filter((res) => res.status === 429);
      expect(refused).toHaveLength(200 - spent);
      for (const res of refused) {
        expect(Number(res.retryAfter)).toBeGreaterThan(0);
        expect(res.body).toMatchObject({ error: 'rate_limited' });
      }
    } finally {
      await http.close();
    }
  });

  it('evaluates at most 10 of 200 wrong checks released together by one session user from 200 IPs', async () => {
    const t = otpTestApp({
      checkpoint: OPEN,
      store: await makeStore(),
      configure: (a) => a.set('trust proxy', 'loopback'),
      router: { subject: (req) => req.session.user },
    });
    const opened = await open(t, 200, 'alice');
    const http = await listen(t);
    try {
      const login = await http.post('/login', { user: 'alice' });
      const cookie = (login.setCookie ?? '').split(';')[0] ?? '';
      const answers = await Promise.all(
        opened.map(({ id, code }, i) =>
          http.post(
            '/otp/check',
            { id, code: t.wrongFor(code) },
            { cookie, 'x-forwarded-for': `198.51.${Math.floor(i / 100)}.${(i % 100) + 1}` },
          ),
        ),
      );
      const spent = await evaluated(t, opened);
      expect(spent).toBeLessThanOrEqual(10);
      expect(answers.filter((res) => res.status === 200)).toHaveLength(spent);
      expect(answers.filter((res) => res.status === 429)).toHaveLength(200 - spent);
    } finally {
      await http.close();
    }
  });

  it('refuses the 31st sequential wrong check with 429 without evaluating it', async () => {
    const t = await app();
    const opened = await open(t, 31);
    const http = await listen(t);
    try {
      const statuses: number[] = [];
      for (const { id, code } of opened) {
        statuses.push((await http.post('/otp/check', { id, code: t.wrongFor(code) })).status);
      }
      expect(statuses.slice(0, 30)).toEqual(Array.from({ length: 30 }, () => 200));
      expect(statuses[30]).toBe(429);
      expect((await t.checkpoint.get(opened[30]?.id ?? '')).attempts).toBe(0);
    } finally {
      await http.close();
    }
  });

  it('gives the unit back when the code is right: a user who types right does not eat the budget', async () => {
    const t = await app({ failedChecks: { perIp: { limit: 3, windowSeconds: 900 } } });
    const opened = await open(t, 10);
    const http = await listen(t);
    try {
      const check = async (index: number, right: boolean) => {
        const { id, code } = opened[index] as { id: string; code: string };
        return (await http.post('/otp/check', { id, code: right ? code : t.wrongFor(code) }))
          .status;
      };
      expect(await check(0, false)).toBe(200);
      expect(await check(1, false)).toBe(200);
      // Approvals released together: each reserves a unit and gets it back.
      const approvals = await Promise.all([2, 3, 4, 5, 6].map((index) => check(index, true)));
      expect(approvals).toEqual([200, 200, 200, 200, 200]);
      expect(await check(7, false)).toBe(200);
      expect(await check(8, false)).toBe(429);
      expect((await t.checkpoint.get(opened[8]?.id ?? '')).attempts).toBe(0);
    } finally {
      await http.close();
    }
  });
});
