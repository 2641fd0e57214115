// Threat: some ordering of one session's concurrent requests that lets a grant run twice or revives a signed-out session.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MemoryStore, type Store } from '@checkpoint/core';
import session from 'express-session';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { PHONE, stepUpApp } from './fixtures/stepUpApp.js';

const VISA = '4111111111111111';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** Lets the scheduler order every step of both stores once `on` is set (setup runs unscheduled). */
interface Gate {
  on: boolean;
  scheduler: fc.Scheduler | undefined;
}

function pass(gate: Gate, label: string): Promise<unknown> {
  return gate.on && gate.scheduler !== undefined
    ? gate.scheduler.schedule(Promise.resolve(label), label)
    : Promise.resolve();
}

/** express-session's MemoryStore whose get / set / destroy wait for the scheduler. */
function scheduledSessions(gate: Gate): session.Store {
  const inner = new session.MemoryStore();
  const store = new session.MemoryStore();
  store.get = (sid, callback) => {
    void pass(gate, 'session.get').then(() => inner.get(sid, callback));
  };
  store.set = (sid, data, callback) => {
    void pass(gate, 'session.set').then(() => inner.set(sid, data, callback));
  };
  store.destroy = (sid, callback) => {
    void pass(gate, 'session.destroy').then(() => inner.destroy(sid, callback));
  };
  return store;
}

/** Checkpoint's MemoryStore whose every operation waits for the scheduler. */
function scheduledStore(gate: Gate): Store {
  const inner = new MemoryStore();
  return new Proxy(inner, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        await pass(gate, `store.${String(property)}`);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

async function scheduledApp(gate: Gate) {
  const fixture = stepUpApp({ store: scheduledStore(gate), sessionStore: scheduledSessions(gate) });
  const server = fixture.app.listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const cookie = { value: '' };
  const call = async (path: string, body: unknown = {}) => {
    const response = await fetch(`${base}${path}`, {
      method: path === '/me' ? 'GET' : 'POST',
      headers: {
        accept: 'application/json',
        'content-type': 'application/json',
        ...(cookie.value === '' ? {} : { cookie: cookie.value }),
      },
      ...(path === '/me' ? {} : { body: JSON.stringify(body) }),
    });
    const set = response.headers.getSetCookie().find((entry) => entry.startsWith('sid='));
    return {
      status: response.status,
      set,
      body: (await response.json()) as Record<string, unknown>,
    };
  };
  /** A request with the cookie the session holds now (later answers may not change it). */
  const keep = async (path: string, body?: unknown) => {
    const answer = await call(path, body);
    if (answer.set !== undefined) cookie.value = answer.set.split(';')[0] ?? '';
    return answer;
  };
  return { fixture, call, keep };
}

type Step = 'billing' | 'touch' | 'me' | 'logout';

/**
 * Waits until every request has reached its first scheduled step (its session read), so that
 * the scheduler orders all of them, not only those that happened to arrive first.
 */
async function allArrived(scheduler: fc.Scheduler, count: number): Promise<void> {
  const until = Date.now() + 2_000;
  while (scheduler.count() < count && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

describe('any interleaving of one session’s requests', () => {
  it('runs a granted action at most once, and never again after', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(fc.constantFrom<Step>('billing', 'touch', 'me'), { minLength: 2, maxLength: 7 }),
        async (scheduler, steps) => {
          const gate: Gate = { on: false, scheduler };
          const { fixture, call, keep } = await scheduledApp(gate);
          await keep('/login');
          await keep('/billing', { card: VISA });
          const started = await keep('/auth/step-up/billing_change/otp/start');
          await keep('/auth/step-up/billing_change/otp/verify', {
            id: started.body.id,
            code: fixture.sms.latest(PHONE)?.code,
          });
          gate.on = true;
          const requests = [...steps, 'billing' as const].map((step) =>
            step === 'billing' ? call('/billing', { card: VISA }) : call(`/${step}`),
          );
          await allArrived(scheduler, requests.length);
          const answers = await scheduler.waitFor(Promise.all(requests));
          gate.on = false;
          expect(fixture.runs.billing).toEqual([VISA]);
          expect(
            answers.filter((answer) => answer.status === 200 && 'changed' in answer.body),
          ).toHaveLength(1);
          expect((await call('/billing', { card: VISA })).status).toBe(401);
          expect(fixture.runs.billing).toHaveLength(1);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('never authenticates a signed-out session again', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(fc.constantFrom<Step>('touch', 'me', 'billing'), { minLength: 1, maxLength: 6 }),
        fc.nat({ max: 6 }),
        async (scheduler, steps, where) => {
          const gate: Gate = { on: false, scheduler };
          const { fixture, call, keep } = await scheduledApp(gate);
          await keep('/login');
          gate.on = true;
          const order: Step[] = [...steps];
          order.splice(Math.min(where, order.length), 0, 'logout');
          const requests = order.map((step) =>
            step === 'billing' ? call('/billing', { card: VISA }) : call(`/${step}`),
          );
          await allArrived(scheduler, requests.length);
          await scheduler.waitFor(Promise.all(requests));
          gate.on = false;
          expect((await call('/me')).status).toBe(401);
          const guarded = await call('/billing', { card: VISA });
          expect(guarded.status).toBe(401);
          expect(guarded.body).toMatchObject({ error: 'login_required' });
          expect(fixture.runs.billing).toEqual([]);
        },
      ),
      { numRuns: 40 },
    );
  });
});
