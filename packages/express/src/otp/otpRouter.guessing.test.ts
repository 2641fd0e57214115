// Threat: guessing one code on each of many verifications must not get past per-IP and per-subject limits.
import type { CheckpointOptions } from '@checkpoint/core';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { CountingStore } from '../testing/CountingStore.js';
import { answer, otpTestApp } from '../testing/otpTestApp.js';
import { otpRouter } from './otpRouter.js';
import express from 'express';

// Core's own send caps would stop an attacker opening this many verifications first; lift them
// so the failed-check limit is what is tested.
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

function phone(index: number): string {
  return `+1415555${String(1000 + index).padStart(4, '0')}`;
}

async function openVerifications(app: express.Express, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const res = await request(app)
      .post('/otp/send')
      .send({ to: phone(i), purpose: 'login' });
    expect(res.status).toBe(202);
    ids.push(answer(res).id);
  }
  return ids;
}

describe('otpRouter failed-check limits', () => {
  it('answers 429 with Retry-After once an IP is over its limit, without calling check', async () => {
    const store = new CountingStore();
    const { app, checkpoint, wrongFor, codeFor } = otpTestApp({
      checkpoint: OPEN,
      store,
      router: { failedChecks: { perIp: { limit: 5, windowSeconds: 900 } } },
    });
    const ids = await openVerifications(app, 8);
    store.reset();
    const statuses: number[] = [];
    for (const [index, id] of ids.entries()) {
      const res = await request(app)
        .post('/otp/check')
        .send({ id, code: wrongFor(codeFor(phone(index))) });
      statuses.push(res.status);
      if (res.status === 429) {
        expect(res.headers['retry-after']).toBe('900');
        expect(res.body).toMatchObject({ error: 'rate_limited', retryAfter: 900 });
      }
    }
    // Five failures are tolerated; the sixth is refused and so is every later check.
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    // No refused code was compared: their verifications still have every attempt, and after the
    // store's refusal of the sixth the later ones did not even reach it.
    expect((await checkpoint.get(ids[5] as string)).attempts).toBe(0);
    expect((await checkpoint.get(ids[6] as string)).attempts).toBe(0);
    expect((await checkpoint.get(ids[7] as string)).attempts).toBe(0);
    expect(store.checkCalls).toBe(6);
    // Even the right code is refused while blocked.
    const right = await request(app)
      .post('/otp/check')
      .send({ id: ids[7], code: codeFor(phone(7)) });
    expect(right.status).toBe(429);
  });

  it('trips the default limit of 30 per IP when one code is guessed on each of many verifications', async () => {
    const { app, wrongFor, codeFor } = otpTestApp({ checkpoint: OPEN });
    const ids = await openVerifications(app, 32);
    let firstRefused = -1;
    for (const [index, id] of ids.entries()) {
      const res = await request(app)
        .post('/otp/check')
        .send({ id, code: wrongFor(codeFor(phone(index))) });
      if (res.status === 429 && firstRefused < 0) firstRefused = index;
      if (firstRefused >= 0) expect(res.status).toBe(429);
    }
    expect(firstRefused).toBe(30);
  });

  it('limits a session user across IPs', async () => {
    const { app, wrongFor, codeFor } = otpTestApp({
      checkpoint: OPEN,
      configure: (a) => a.set('trust proxy', 'loopback'),
      router: {
        subject: (req) => req.session.user,
        failedChecks: { perSubject: { limit: 3, windowSeconds: 900 } },
      },
    });
    const agent = request.agent(app);
    await agent.post('/login').send({ user: 'alice' });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      const sent = await agent.post('/otp/send').send({ to: phone(i), purpose: 'login' });
      const res = await agent
        .post('/otp/check')
        .set('X-Forwarded-For', `198.51.100.${i + 1}`)
        .send({ id: answer(sent).id, code: wrongFor(codeFor(phone(i))) });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429, 429]);
  });

  it('counts a malformed code as a failed check', async () => {
    const { app } = otpTestApp({
      router: { failedChecks: { perIp: { limit: 2, windowSeconds: 60 } } },
    });
    const sent = answer(
      await request(app)
        .post('/otp/send')
        .send({ to: phone(0), purpose: 'login' }),
    );
    const statuses: number[] = [];
    for (const code of ['abc', 123456, '１２３４５６', '000000']) {
      statuses.push((await request(app).post('/otp/check').send({ id: sent.id, code })).status);
    }
    expect(statuses).toEqual([400, 400, 429, 429]);
  });

  it('costs a successful check no counter round trip', async () => {
    const store = new CountingStore();
    const { app, codeFor } = otpTestApp({ store });
    const sent = answer(
      await request(app)
        .post('/otp/send')
        .send({ to: phone(0), purpose: 'login' }),
    );
    store.reset();
    const res = await request(app)
      .post('/otp/check')
      .send({ id: sent.id, code: codeFor(phone(0)) });
    expect(answer(res).status).toBe('approved');
    expect(store.checkCalls).toBe(1);
    expect(store.counterCalls).toBe(0);
  });

  it('opens again when the window ends', async () => {
    const { app, clock, wrongFor, codeFor } = otpTestApp({
      checkpoint: OPEN,
      router: { failedChecks: { perIp: { limit: 1, windowSeconds: 60 } } },
    });
    const ids = await openVerifications(app, 3);
    const check = (index: number, code: string) =>
      request(app).post('/otp/check').send({ id: ids[index], code });
    expect((await check(0, wrongFor(codeFor(phone(0))))).status).toBe(200);
    expect((await check(1, wrongFor(codeFor(phone(1))))).status).toBe(429);
    const blocked = await check(2, codeFor(phone(2)));
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeLessThanOrEqual(60);
    await clock.advance(60_000);
    expect(answer(await check(2, codeFor(phone(2)))).status).toBe('approved');
  });

  it('shares the count between processes: a second router on the same store refuses the next guess without comparing it', async () => {
    const store = new CountingStore();
    const first = otpTestApp({
      checkpoint: OPEN,
      store,
      router: { failedChecks: { perIp: { limit: 2, windowSeconds: 900 } } },
    });
    // A second "process": its own router and in-process cache, the same checkpoint store.
    const second = express();
    second.use(
      '/otp',
      otpRouter(first.checkpoint, {
        secret: 'express-tests-secret-0123456789abcdef',
        clock: first.clock,
        failedChecks: { perIp: { limit: 2, windowSeconds: 900 } },
      }),
    );
    const ids = await openVerifications(first.app, 6);
    const guess = (app: express.Express, index: number) =>
      request(app)
        .post('/otp/check')
        .send({ id: ids[index], code: first.wrongFor(first.codeFor(phone(index))) });
    expect((await guess(first.app, 0)).status).toBe(200);
    expect((await guess(first.app, 1)).status).toBe(200);
    expect((await guess(first.app, 2)).status).toBe(429);
    // The second process has not seen the refusal: its guess reaches the store, which refuses it
    // before comparing (the counter is tested in the check's own step); then it blocks locally.
    store.reset();
    expect((await guess(second, 3)).status).toBe(429);
    expect((await first.checkpoint.get(ids[3] as string)).attempts).toBe(0);
    expect((await guess(second, 4)).status).toBe(429);
    expect((await first.checkpoint.get(ids[4] as string)).attempts).toBe(0);
    expect(store.checkCalls).toBe(1);
  });
});
