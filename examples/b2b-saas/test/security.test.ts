// What the demo must never do: open redirects, cross-site form posts, a dev inbox in production,
// codes in its console output, and an admin step-up offered to a member who may not grant roles.
import { outboxChannel } from '@checkpoint/core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoApp, type DemoApp } from '../src/createDemoApp.js';

let demo: DemoApp;
const lines: string[] = [];

beforeAll(async () => {
  demo = await createDemoApp({ seed: false, log: (line) => lines.push(line) });
});

afterAll(() => demo?.close());

async function login(email: string, password: string) {
  const agent = request.agent(demo.app);
  await agent.post('/login').type('form').send({ email, password }).expect(303);
  const phone = email.startsWith('bob') ? '+14155550102' : '+14155550101';
  const code = /^(\d{6}) /.exec(demo.inbox.latest(phone)?.text ?? '')?.[1] ?? '';
  await agent.post('/login/otp').type('form').send({ code }).expect(303);
  return { agent, code };
}

describe('Acme Console security', () => {
  it('never turns returnTo into an open redirect', async () => {
    for (const target of ['https://evil.example/', '//evil.example', '/\\evil.example']) {
      const page = await request(demo.app)
        .get(`/login?returnTo=${encodeURIComponent(target)}`)
        .expect(200);
      expect(page.text).toContain('name="returnTo" value="/"');
    }
    const agent = request.agent(demo.app);
    await agent
      .post('/login')
      .type('form')
      .send({
        email: 'ada@acme.example',
        password: 'acme-demo-password',
        returnTo: '//evil.example',
      })
      .expect(303);
    const code = /^(\d{6}) /.exec(demo.inbox.latest('+14155550101')?.text ?? '')?.[1] ?? '';
    await agent.post('/login/otp').type('form').send({ code }).expect(303).expect('Location', '/');
  });

  it('refuses a cross-site form post', async () => {
    await request(demo.app)
      .post('/login')
      .set('Sec-Fetch-Site', 'cross-site')
      .type('form')
      .send({ email: 'ada@acme.example', password: 'acme-demo-password' })
      .expect(403);
    await request(demo.app)
      .post('/login')
      .set('Origin', 'https://evil.example')
      .type('form')
      .send({ email: 'ada@acme.example', password: 'acme-demo-password' })
      .expect(403);
  });

  it('prints no code: the console gets masked one-line notices only', async () => {
    const { code } = await login('ada@acme.example', 'acme-demo-password');
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toContain(code);
    expect(lines.join('\n')).not.toContain('+14155550101');
  });

  it('answers 403 to a member granting a role, before any step-up', async () => {
    const { agent } = await login('bob@acme.example', 'bob-demo-password');
    await agent
      .post('/admin/roles')
      .set('Accept', 'application/json')
      .send({ userId: 'anyone', role: 'admin' })
      .expect(403);
  });

  it('remembers a browser only with a signed, HttpOnly cookie bound to the user', async () => {
    // No password checked in this session: the app-code and recovery-code steps do nothing.
    await request(demo.app)
      .post('/login/totp')
      .type('form')
      .send({ code: '123456' })
      .expect(303)
      .expect('Location', '/login');

    const agent = request.agent(demo.app);
    await agent
      .post('/login')
      .type('form')
      .send({ email: 'ada@acme.example', password: 'acme-demo-password' })
      .expect(303);
    const code = /^(\d{6}) /.exec(demo.inbox.latest('+14155550101')?.text ?? '')?.[1] ?? '';
    const remembered = await agent
      .post('/login/otp')
      .type('form')
      .send({ code, remember: '1' })
      .expect(303);
    const cookie = ([] as string[])
      .concat(remembered.headers['set-cookie'] ?? [])
      .find((line) => line.startsWith('cp_device_'));
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    const [pair = ''] = (cookie ?? '').split(';');
    const [name = '', value = ''] = pair.split('=');

    // Bob's login in the same browser: Ada's cookie is not his (the name is per user).
    const bob = request.agent(demo.app);
    await bob
      .post('/login')
      .set('Cookie', pair)
      .type('form')
      .send({ email: 'bob@acme.example', password: 'bob-demo-password' })
      .expect(303)
      .expect('Location', '/login/otp');
    // An edited expiry does not verify: a second factor is asked for, and the cookie is cleared.
    const [id, expires, ...rest] = decodeURIComponent(value).split('.');
    const edited = [id, String(Number(expires) + 86_400_000), ...rest].join('.');
    const forged = await request(demo.app)
      .post('/login')
      .set('Cookie', `${name}=${encodeURIComponent(edited)}`)
      .type('form')
      .send({ email: 'ada@acme.example', password: 'acme-demo-password' })
      .expect(303)
      .expect('Location', '/login/otp');
    expect(String(forged.headers['set-cookie'])).toContain(`${name}=;`);
    // The genuine cookie skips the code.
    await request(demo.app)
      .post('/login')
      .set('Cookie', pair)
      .type('form')
      .send({ email: 'ada@acme.example', password: 'acme-demo-password' })
      .expect(303)
      .expect('Location', '/');
  });

  it('escapes what users typed into pages', async () => {
    const page = await request(demo.app)
      .post('/signup')
      .type('form')
      .send({
        tenant: 'nope',
        name: '<script>alert(1)</script>',
        email: 'x',
        phone: 'x',
        password: 'x',
      })
      .expect(400);
    expect(page.text).not.toContain('<script>alert(1)</script>');
  });
});

describe('outside development', () => {
  it('has no dev inbox and no /metrics, and needs a real secret and channels', async () => {
    await expect(createDemoApp({ development: false, seed: false })).rejects.toThrow(TypeError);
    const production = await createDemoApp({
      development: false,
      secret: 'production-like-secret-0123456789abcdefghij',
      channels: [outboxChannel({ name: 'sms', status: 'delivered' })],
      seed: false,
      log: () => {},
    });
    try {
      await request(production.app).get('/dev/inbox').expect(404);
      await request(production.app).get('/metrics').expect(404);
      expect((await request(production.app).get('/login').expect(200)).text).not.toContain(
        'Dev inbox',
      );
    } finally {
      await production.close();
    }
  });
});
