// Threat: /send and everything after it must not tell a known account from an unknown one (ASVS V6.3.8).
import { type Channel, type CheckpointOptions, outboxChannel } from '@checkpoint/core';
import type { Express } from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { CountingStore } from '../testing/CountingStore.js';
import { answer, type OtpTestApp, otpTestApp, PHONE } from '../testing/otpTestApp.js';
import type { OtpRouterOptions } from './OtpRouterOptions.js';

const ID = /^vf_[A-Za-z0-9_-]{26}$/;
const ACCOUNTS: Readonly<Record<string, string>> = { alice: PHONE, bob: '+14155550123' };

const router: Partial<OtpRouterOptions> = {
  purposes: ['login'],
  subject: (req) => req.session.user,
  resolveDestination: (_req, body) => ACCOUNTS[body.to],
};

function loginApp(
  options: { checkpoint?: Partial<CheckpointOptions>; store?: CountingStore } = {},
) {
  return otpTestApp({ router, ...options });
}

/** What a client can observe of a response: status, the headers set, the body with ids masked. */
function observe(res: request.Response, now: number) {
  const body = res.body as Record<string, unknown>;
  const masked = Object.fromEntries(
    Object.entries(body ?? {}).map(([key, value]) => {
      if (key === 'id') return [key, ID.test(String(value)) ? '<id>' : value];
      if (key === 'expiresAt') return [key, Number(value) - now];
      return [key, value];
    }),
  );
  const headers = Object.keys(res.headers)
    .filter((name) => !['date', 'etag', 'content-length', 'set-cookie'].includes(name))
    .sort()
    .map((name) => (name === 'retry-after' ? `${name}: ${res.headers[name]}` : name));
  return { status: res.status, headers, body: masked };
}

type Step = (
  t: OtpTestApp,
  state: { id: string; code: string },
) => Promise<request.Response | undefined>;

/** Runs the same steps for one identifier on a fresh app and records what the client saw. */
async function transcript(identifier: string, steps: Step[]) {
  const t = loginApp();
  const seen: unknown[] = [];
  const sent = await request(t.app).post('/otp/send').send({ to: identifier, purpose: 'login' });
  seen.push(observe(sent, t.clock.now()));
  const real = ACCOUNTS[identifier];
  // A code that is wrong for the known account; for an unknown one every code is wrong.
  const code = t.wrongFor(real === undefined ? '000000' : t.codeFor(real));
  for (const step of steps) {
    const res = await step(t, { id: answer(sent).id, code });
    if (res !== undefined) seen.push(observe(res, t.clock.now()));
  }
  return seen;
}

const check: Step = (t, { id, code }) => request(t.app).post('/otp/check').send({ id, code });
const resend: Step = (t, { id }) => request(t.app).post(`/otp/${id}/resend`);
const cancel: Step = (t, { id }) => request(t.app).post(`/otp/${id}/cancel`);
const wait =
  (ms: number): Step =>
  async (t) => {
    await t.clock.advance(ms);
    return undefined;
  };

describe('otpRouter with resolveDestination', () => {
  it('answers /send for an unknown account with the same status, headers and body shape as for a known one', async () => {
    const known = loginApp();
    const unknown = loginApp();
    const a = await request(known.app).post('/otp/send').send({ to: 'alice', purpose: 'login' });
    const b = await request(unknown.app)
      .post('/otp/send')
      .send({ to: 'mallory', purpose: 'login' });
    expect(observe(b, unknown.clock.now())).toEqual(observe(a, known.clock.now()));
    expect(a.status).toBe(202);
    expect(Object.keys(b.body as object)).toEqual(['id', 'channel', 'expiresAt']);
    expect(answer(b).id).toMatch(ID);
    expect(answer(b).id).toHaveLength(answer(a).id.length);
    expect(answer(b).channel).toBe(answer(a).channel);
    expect(typeof answer(b).expiresAt).toBe('number');
    expect(known.sms.messages).toHaveLength(1);
    expect(unknown.sms.messages).toHaveLength(0);
  });

  it('answers wrong codes on a decoy like on a real verification: failed, counting down, then max_attempts', async () => {
    const steps = [check, check, check, check, check, check, check];
    const real = await transcript('alice', steps);
    const decoy = await transcript('mallory', steps);
    expect(decoy).toEqual(real);
    expect(real.slice(1).map((step) => (step as { body: unknown }).body)).toEqual([
      { status: 'failed', remainingAttempts: 4 },
      { status: 'failed', remainingAttempts: 3 },
      { status: 'failed', remainingAttempts: 2 },
      { status: 'failed', remainingAttempts: 1 },
      { status: 'failed', remainingAttempts: 0 },
      { status: 'max_attempts', remainingAttempts: 0 },
      { status: 'max_attempts', remainingAttempts: 0 },
    ]);
  });

  it('answers resends of a decoy with the same cooldowns and maxSends as a real verification', async () => {
    const steps = [
      resend,
      wait(30_000),
      resend,
      resend,
      wait(60_000),
      resend,
      wait(120_000),
      resend,
      wait(240_000),
      resend,
      resend,
      check,
    ];
    const real = await transcript('alice', steps);
    expect(await transcript('mallory', steps)).toEqual(real);
    expect(real.map((step) => (step as { status: number }).status)).toEqual([
      202, 429, 202, 429, 202, 202, 202, 429, 200,
    ]);
  });

  it('answers cancel, expiry and what follows them the same way', async () => {
    const afterCancel = [check, cancel, check, resend, cancel, check];
    expect(await transcript('mallory', afterCancel)).toEqual(
      await transcript('alice', afterCancel),
    );
    const afterExpiry = [check, wait(600_000), check, resend, cancel, check];
    const real = await transcript('alice', afterExpiry);
    expect(await transcript('mallory', afterExpiry)).toEqual(real);
    expect(real.map((step) => (step as { status: number }).status)).toEqual([
      202, 200, 200, 404, 204, 200,
    ]);
  });

  it('answers a decoy checked from another session with 404, as a bound real verification', async () => {
    const t = loginApp();
    const alice = request.agent(t.app);
    await alice.post('/login').send({ user: 'alice' });
    const sent = await alice.post('/otp/send').send({ to: 'mallory', purpose: 'login' });
    expect(sent.status).toBe(202);
    const other = await request(t.app)
      .post('/otp/check')
      .send({ id: answer(sent).id, code: '123456' });
    expect(other.status).toBe(404);
    const same = await alice.post('/otp/check').send({ id: answer(sent).id, code: '123456' });
    expect(same.body).toEqual({ status: 'failed', remainingAttempts: 4 });
  });

  it('answers a decoy with its shard edited as an unknown id', async () => {
    const t = loginApp();
    const sent = await request(t.app).post('/otp/send').send({ to: 'mallory', purpose: 'login' });
    const id = answer(sent).id;
    const edited = `vf_${id[3] === 'A' ? 'B' : 'A'}${id.slice(4)}`;
    expect(
      (await request(t.app).post('/otp/check').send({ id: edited, code: '123456' })).status,
    ).toBe(404);
  });

  it('forgets a decoy after the store’s retention, as the store forgets a real verification', async () => {
    const t = loginApp();
    const sent = await request(t.app).post('/otp/send').send({ to: 'mallory', purpose: 'login' });
    await t.clock.advance(600_000 + 3_600_000);
    const res = await request(t.app)
      .post('/otp/check')
      .send({ id: answer(sent).id, code: '123456' });
    expect(res.status).toBe(404);
  });

  it('gives the same shard to every decoy of one identifier, as a real destination does', async () => {
    const t = loginApp();
    const shard = async (to: string) =>
      answer(await request(t.app).post('/otp/send').send({ to, purpose: 'login' })).id.slice(3, 7);
    expect(await shard('alice')).toBe(await shard('alice'));
    expect(await shard('mallory')).toBe(await shard('mallory'));
  });

  it('refuses a sixth send in ten minutes for an unknown account as for a known one', async () => {
    const run = async (to: string) => {
      const t = loginApp();
      const seen = [];
      for (let i = 0; i < 6; i += 1) {
        seen.push(
          observe(
            await request(t.app).post('/otp/send').send({ to, purpose: 'login' }),
            t.clock.now(),
          ),
        );
      }
      return seen;
    };
    const real = await run('alice');
    expect(await run('mallory')).toEqual(real);
    expect(real[5]).toMatchObject({
      status: 429,
      body: {
        error: 'rate_limited',
        message: 'too many codes requested (velocity:destination); retry in 600 s',
        retryAfter: 600,
      },
    });
  });

  it('starts per-IP 429s at the same request of an enumeration run whichever accounts exist', async () => {
    const low = { defaults: { velocity: { ip: [{ limit: 3, windowSeconds: 600 }] } } };
    const run = async (identifiers: string[]) => {
      const t = loginApp({ checkpoint: low });
      const statuses = [];
      for (const to of identifiers) {
        statuses.push(
          (await request(t.app).post('/otp/send').send({ to, purpose: 'login' })).status,
        );
      }
      return statuses;
    };
    const mixed = await run(['mallory', 'alice', 'eve', 'bob', 'trent']);
    expect(await run(['mallory', 'oscar', 'eve', 'peggy', 'trent'])).toEqual(mixed);
    expect(await run(['alice', 'bob', 'alice', 'bob', 'alice'])).toEqual(mixed);
    expect(mixed).toEqual([202, 202, 202, 429, 429]);
  });

  it('does the same store work to check a decoy as to check a real verification', async () => {
    const work = async (to: string) => {
      const store = new CountingStore();
      const t = loginApp({ store });
      const sent = await request(t.app).post('/otp/send').send({ to, purpose: 'login' });
      const real = ACCOUNTS[to];
      store.reset();
      await request(t.app)
        .post('/otp/check')
        .send({
          id: answer(sent).id,
          code: t.wrongFor(real === undefined ? '000000' : t.codeFor(real)),
        });
      return { checks: store.checkCalls, charged: store.checkCounterKeys };
    };
    const real = await work('alice');
    expect(await work('mallory')).toEqual(real);
    // One store check, charged to the per-IP failed-check counter in the same step.
    expect(real).toEqual({ checks: 1, charged: [expect.stringMatching(/^app:x\.fi:/)] });
  });

  it('counts sends of known and unknown accounts on the same per-IP windows', async () => {
    const keysOf = async (to: string) => {
      const store = new CountingStore();
      const t = loginApp({ store });
      await request(t.app).post('/otp/send').send({ to, purpose: 'login' });
      return store.counterKeys.filter((key) => key.startsWith('app:x.sv:'));
    };
    const known = await keysOf('alice');
    expect(known.length).toBeGreaterThan(0);
    expect(await keysOf('mallory')).toEqual(known);
  });

  it('takes as long to answer for an unknown account as for a known one (medians within 3x)', async () => {
    // A channel with provider-like latency: without padding a decoy would answer ~25x faster.
    const slow: Channel = {
      ...outboxChannel({ name: 'sms' }),
      async send() {
        await new Promise((resolve) => setTimeout(resolve, 25));
        return { providerMessageId: `slow-${Math.random()}`, status: 'sent' };
      },
    };
    const t = loginApp({
      checkpoint: {
        channels: [slow],
        defaults: {
          velocity: {
            ip: [{ limit: 10_000, windowSeconds: 600 }],
            destination: [{ limit: 10_000, windowSeconds: 600 }],
          },
        },
      },
    });
    const time = async (app: Express, to: string) => {
      const started = performance.now();
      const res = await request(app).post('/otp/send').send({ to, purpose: 'login' });
      expect(res.status).toBe(202);
      return performance.now() - started;
    };
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 15; i += 1) {
      known.push(await time(t.app, 'alice'));
      unknown.push(await time(t.app, `nobody-${i}`));
    }
    const median = (values: number[]) =>
      [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)] as number;
    const ratio = median(known) / median(unknown);
    expect(ratio).toBeGreaterThan(1 / 3);
    expect(ratio).toBeLessThan(3);
  });
});
