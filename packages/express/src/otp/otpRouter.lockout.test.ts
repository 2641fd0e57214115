// Threat: strangers who sign up with a victim's number and type wrong codes must not lock the victim's account out of its codes, nor tell a real account from a decoy by the lock.
import type { Store } from '@checkpoint/core';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '@checkpoint/core';
import { memoryAndRedis } from '../testing/memoryAndRedis.js';
import { answer, type OtpTestApp, otpTestApp, PHONE } from '../testing/otpTestApp.js';
import type { OtpRouterOptions } from './OtpRouterOptions.js';

const VICTIM = PHONE;

const stores = memoryAndRedis('express-lockout', () => new MemoryStore());

/** Two tenants on one router (`X-Tenant`), subjects from the session, clients by X-Forwarded-For. */
async function tenantsApp(store: Store, router: Partial<OtpRouterOptions> = {}) {
  const t = otpTestApp({
    store,
    configure: (app) => app.set('trust proxy', 'loopback'),
    router: {
      tenantId: (req) => req.get('x-tenant'),
      subject: (req) => req.session.user,
      // The router's own per-user limit (10 per 15 minutes) would stop the victim's 20 guesses
      // first; lifted so that the Store's failure budget is what is tested.
      failedChecks: { perSubject: { limit: 30, windowSeconds: 900 } },
      ...router,
    },
  });
  await t.checkpoint.configure('acme', {});
  await t.checkpoint.configure('globex', {});
  return t;
}

/** Sends a code to `to` and types `wrong` wrong codes for it, as `agent` from `ip` at `tenant`. */
async function guess(
  t: OtpTestApp,
  agent: ReturnType<typeof request.agent>,
  input: { tenant: string; ip: string; to: string; purpose: string; wrong: number },
) {
  const sent = await agent
    .post('/otp/send')
    .set('x-tenant', input.tenant)
    .set('x-forwarded-for', input.ip)
    .send({ to: input.to, purpose: input.purpose });
  expect(sent.status).toBe(202);
  const id = answer(sent).id;
  for (let i = 0; i < input.wrong; i += 1) {
    const res = await agent
      .post('/otp/check')
      .set('x-tenant', input.tenant)
      .set('x-forwarded-for', input.ip)
      .send({ id, code: t.wrongFor(t.codeFor(input.to)) });
    expect(res.status).toBe(200);
  }
  return id;
}

describe.each(stores)('the destination failure budget on %s', (_, makeStore) => {
  it('does not lock the victim’s login at tenant A when strangers sign up at tenant B with wrong codes', async () => {
    const t = await tenantsApp(await makeStore());
    // Four sign-ups at globex with the victim's number, five wrong codes each, nobody signed in.
    for (let i = 0; i < 4; i += 1) {
      await guess(t, request.agent(t.app), {
        tenant: 'globex',
        ip: `203.0.113.${i + 1}`,
        to: VICTIM,
        purpose: 'signup',
        wrong: 5,
      });
    }
    // The victim signs in at acme and asks for a login code: it comes, and it works.
    const victim = request.agent(t.app);
    await victim.post('/login').send({ user: 'alice' });
    const sent = await victim
      .post('/otp/send')
      .set('x-tenant', 'acme')
      .set('x-forwarded-for', '198.51.100.7')
      .send({ to: VICTIM, purpose: 'login' });
    expect(sent.status).toBe(202);
    const checked = await victim
      .post('/otp/check')
      .set('x-tenant', 'acme')
      .set('x-forwarded-for', '198.51.100.7')
      .send({ id: answer(sent).id, code: t.codeFor(VICTIM) });
    expect(checked.body).toEqual({ status: 'approved', remainingAttempts: 4 });
  });

  it('still locks the victim’s own budget on the victim’s own failures, for minutes at first', async () => {
    const t = await tenantsApp(await makeStore());
    // Per-destination send caps count every send to the number, the stranger's below included;
    // lifted so the failure budget is what answers.
    await t.checkpoint.configure('acme', { velocity: { destination: [] } });
    const victim = request.agent(t.app);
    await victim.post('/login').send({ user: 'alice' });
    const as = { tenant: 'acme', ip: '198.51.100.7', to: VICTIM, purpose: 'login', wrong: 5 };
    for (let i = 0; i < 4; i += 1) await guess(t, victim, as);
    const locked = await victim
      .post('/otp/send')
      .set('x-tenant', 'acme')
      .set('x-forwarded-for', as.ip)
      .send({ to: VICTIM, purpose: 'login' });
    expect(locked.status).toBe(429);
    expect(locked.headers['retry-after']).toBe('300');
    expect(locked.body).toEqual({
      error: 'rate_limited',
      message: 'too many codes requested (destination_failures); retry in 300 s',
      retryAfter: 300,
    });
    // A stranger's sign-up to that number at the same tenant proves nothing about alice's
    // account and has a budget of its own: it is not refused by alice's lock.
    const stranger = await request(t.app)
      .post('/otp/send')
      .set('x-tenant', 'acme')
      .set('x-forwarded-for', '203.0.113.9')
      .send({ to: VICTIM, purpose: 'signup' });
    expect(stranger.status).toBe(202);
    await t.clock.advance(300_000);
    const sent = await victim
      .post('/otp/send')
      .set('x-tenant', 'acme')
      .set('x-forwarded-for', as.ip)
      .send({ to: VICTIM, purpose: 'login' });
    expect(sent.status).toBe(202);
  });
});

/** What a client can observe of a response: status, headers set, the body with ids masked. */
function observe(res: request.Response, now: number) {
  const body = (res.body ?? {}) as Record<string, unknown>;
  const masked = Object.fromEntries(
    Object.entries(body).map(([key, value]) => {
      if (key === 'id') return [key, /^vf_[A-Za-z0-9_-]{26}$/.test(String(value)) ? '<id>' : value];
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

/** One client step: a send, a wrong check of the n-th verification sent (or the last), and so on. */
type Step = 'send' | 'wait' | { check: number | 'last' } | { resend: 'last' } | { cancel: 'last' };
const wrongChecks = (of: number | 'last', times = 5): Step[] =>
  Array.from({ length: times }, () => ({ check: of }));

describe.each(stores)('decoys once a budget is spent, on %s', (_, makeStore) => {
  const ACCOUNTS: Readonly<Record<string, string>> = { alice: VICTIM };
  const loginApp = async () =>
    otpTestApp({
      store: await makeStore(),
      router: {
        purposes: ['login'],
        subject: (req) => req.session.user,
        resolveDestination: (_req, body) => ACCOUNTS[body.to],
      },
    });
  /** Runs `steps` for one identifier on a fresh app and records what the client saw; every code is wrong. */
  const transcript = async (identifier: string, steps: readonly Step[]) => {
    const t = await loginApp();
    const seen: unknown[] = [];
    const ids: string[] = [];
    const code = t.wrongFor(t.codeFor(VICTIM) || '000000');
    const idOf = (which: number | 'last') => (which === 'last' ? ids.at(-1) : ids[which]) ?? '';
    for (const step of steps) {
      let res: request.Response | undefined;
      if (step === 'send') {
        res = await request(t.app).post('/otp/send').send({ to: identifier, purpose: 'login' });
        if (res.status === 202) ids.push(answer(res).id);
      } else if (step === 'wait') {
        await t.clock.advance(300_000);
      } else if ('check' in step) {
        res = await request(t.app)
          .post('/otp/check')
          .send({ id: idOf(step.check), code: t.wrongFor(t.codeFor(VICTIM) || code) });
      } else if ('resend' in step) {
        res = await request(t.app).post(`/otp/${idOf(step.resend)}/resend`);
      } else {
        res = await request(t.app).post(`/otp/${idOf(step.cancel)}/cancel`);
      }
      if (res !== undefined) seen.push(observe(res, t.clock.now()));
    }
    return seen;
  };
  // Four verifications, five wrong codes each: the budget's 20 are spent.
  const spend: Step[] = [0, 1, 2, 3].flatMap((n) => ['send' as const, ...wrongChecks(n)]);

  it('answers a send for an unknown account like a real one whose budget is spent, and after the lock', async () => {
    const steps: Step[] = [...spend, 'send', 'wait', 'send', { check: 'last' }, { check: 0 }];
    const real = await transcript('alice', steps);
    expect(await transcript('mallory', steps)).toEqual(real);
    expect(real.slice(24).map((step) => (step as { status: number }).status)).toEqual([
      429, 202, 200, 200,
    ]);
    const locked = real[24] as { headers: string[]; body: unknown };
    expect(locked.headers).toContain('retry-after: 300');
    expect(locked.body).toEqual({
      error: 'rate_limited',
      message: 'too many codes requested (destination_failures); retry in 300 s',
      retryAfter: 300,
    });
  });

  it('answers checks, resends and cancels of a verification open when the budget locked like a real one', async () => {
    const steps: Step[] = [
      ...['send', 'send', 'send', 'send', 'send'].map(() => 'send' as const),
      ...[0, 1, 2, 3].flatMap((n) => wrongChecks(n)),
      { check: 4 },
      { check: 4 },
      'wait',
      { resend: 'last' },
      { cancel: 'last' },
      { check: 4 },
    ];
    const real = await transcript('alice', steps);
    expect(await transcript('mallory', steps)).toEqual(real);
    // The fifth verification was open when the budget locked: it ends without a compare, for good.
    expect(real.slice(25)).toMatchObject([
      { status: 200, body: { status: 'max_attempts', remainingAttempts: 5 } },
      { status: 200, body: { status: 'max_attempts', remainingAttempts: 5 } },
      { status: 404, body: { error: 'not_found' } },
      { status: 204 },
      { status: 200, body: { status: 'max_attempts', remainingAttempts: 5 } },
    ]);
  });
});
