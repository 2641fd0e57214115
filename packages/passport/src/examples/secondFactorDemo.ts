import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createCheckpoint, outboxChannel } from '@checkpoint/core';
import { secondFactorApp } from './secondFactorApp.js';
import { demoUser } from './users.js';

/**
 * Runs the README's second-factor example over HTTP: password, code, logged in. The outbox
 * channel stands in for SMS so the walkthrough can read the code it "sent".
 */
export async function secondFactorDemo(
  log: (line: string) => void = console.log,
): Promise<number[]> {
  const sms = outboxChannel({ name: 'sms' });
  const checkpoint = createCheckpoint({
    secret: process.env.CHECKPOINT_SECRET ?? 'dev-only-secret-change-me-0123456789abcdef',
    channels: [sms],
  });
  const alice = demoUser({
    id: 'u_alice',
    username: 'alice',
    password: 'correct horse battery staple',
    phone: '+14155550100',
  });
  const server = secondFactorApp({ checkpoint, users: [alice] }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let cookie = '';

  async function call(method: 'GET' | 'POST', path: string, body?: object) {
    const response = await fetch(base + path, {
      method,
      headers: { 'content-type': 'application/json', ...(cookie === '' ? {} : { cookie }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const set = response.headers.getSetCookie();
    if (set.length > 0) cookie = set.map((line) => line.split(';')[0]).join('; ');
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  try {
    const password = await call('POST', '/login/password', {
      username: 'alice',
      password: 'correct horse battery staple',
    });
    const halfway = cookie;
    log(`password -> ${password.status}, code sent for verification ${String(password.body.id)}`);
    const before = await call('GET', '/me');
    log(`/me before the code -> ${before.status}`);
    const code = sms.latest(alice.phone)?.code ?? '';
    const otp = await call('POST', '/login/otp', { id: password.body.id, code });
    log(`code -> ${otp.status}, factors ${JSON.stringify(otp.body.factors)}`);
    log(`session id changed on login: ${cookie !== halfway ? 'yes' : 'no'}`);
    const after = await call('GET', '/me');
    log(`/me after the code -> ${after.status} (${String(after.body.userId)})`);
    return [password.status, before.status, otp.status, after.status];
  } finally {
    server.close();
    await checkpoint.close();
  }
}
