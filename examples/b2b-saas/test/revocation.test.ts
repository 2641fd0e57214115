// Sessions end on the server: a cookie that signed out, or that was signed in before a password
// reset, never reads as signed in again — and a reset can forget the user's remembered browsers.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoApp, type DemoApp } from '../src/createDemoApp.js';

const ADA = { email: 'ada@acme.example', password: 'acme-demo-password', phone: '+14155550101' };
const BOB = { email: 'bob@acme.example', password: 'bob-demo-password', phone: '+14155550102' };
const GRACE = {
  email: 'grace@globex.example',
  password: 'globex-demo-password',
  phone: '+14155550103',
};
type Account = typeof ADA;

let demo: DemoApp;

beforeAll(async () => {
  demo = await createDemoApp({ seed: false, log: () => {} });
});

afterAll(() => demo?.close());

/** The newest code texted to `phone` (read right after it was sent: notices come later). */
function codeFor(phone: string): string {
  const code = /^(\d{6}) /.exec(demo.inbox.latest(phone)?.text ?? '')?.[1];
  if (code === undefined) throw new Error(`no code for ${phone}`);
  return code;
}

/** `name=value` of the cookie a response set whose name starts with `prefix`. */
function cookieSet(res: request.Response, prefix: string): string {
  const line = ([] as string[])
    .concat(res.headers['set-cookie'] ?? [])
    .find((candidate) => candidate.startsWith(prefix));
  if (line === undefined) throw new Error(`no ${prefix}… cookie set`);
  return line.split(';')[0] ?? '';
}

/** Password + texted code in a browser of its own; `remember` ticks "Remember this browser". */
async function logIn(account: Account, { remember = false, password = account.password } = {}) {
  const agent = request.agent(demo.app);
  await agent
    .post('/login')
    .type('form')
    .send({ email: account.email, password })
    .expect(303)
    .expect('Location', '/login/otp');
  const done = await agent
    .post('/login/otp')
    .type('form')
    .send({ code: codeFor(account.phone), ...(remember ? { remember: '1' } : {}) })
    .expect(303)
    .expect('Location', '/');
  // The remembered-browser cookie's name is per user: cp_device_….
  return {
    agent,
    session: cookieSet(done, 'acme.sid='),
    device: remember ? cookieSet(done, 'cp_device_') : '',
  };
}

/** Whether a page for this cookie shows somebody signed in. */
async function signedIn(cookie: string): Promise<boolean> {
  const page = await request(demo.app).get('/').set('Cookie', cookie).expect(200);
  return page.text.includes('Signed in as');
}

/** A guarded JSON action with this cookie: what a script holding it could do. */
function changeBilling(cookie: string) {
  return request(demo.app)
    .post('/billing')
    .set('Cookie', cookie)
    .set('Accept', 'application/json')
    .send({ card: '4242424242424242', plan: 'team' });
}

/** The password reset, from a browser signed in nowhere. */
async function resetPassword(account: Account, password: string, forgetBrowsers: boolean) {
  const agent = request.agent(demo.app);
  await agent.post('/reset').type('form').send({ email: account.email }).expect(303);
  const form = await agent.get('/reset/verify').expect(200);
  // Offered, and ticked unless the user unticks it.
  expect(form.text).toContain(
    '<input type="checkbox" name="forgetBrowsers" value="1" checked> Also sign out remembered browsers',
  );
  await agent
    .post('/reset/verify')
    .type('form')
    .send({
      code: codeFor(account.phone),
      password,
      ...(forgetBrowsers ? { forgetBrowsers: '1' } : {}),
    })
    .expect(303)
    .expect('Location', '/login');
}

describe('signing out', () => {
  it('ends the session on the server: the old cookie is not signed in afterwards', async () => {
    const { agent, session } = await logIn(ADA);
    expect(await signedIn(session)).toBe(true);

    const out = await agent.post('/logout').expect(303).expect('Location', '/');
    // A new session id, never the old one again.
    expect(cookieSet(out, 'acme.sid=')).not.toBe(session);
    expect((await agent.get('/').expect(200)).text).toContain('You are signed out.');

    expect(await signedIn(session)).toBe(false);
    const refused = await changeBilling(session).expect(401);
    expect(refused.body).toMatchObject({ error: 'login_required' });
  });
});

describe('a password reset', () => {
  it('signs out the sessions signed in before it and, when ticked, forgets remembered browsers', async () => {
    const login = await logIn(BOB, { remember: true });
    const elsewhere = await logIn(BOB);
    // Before the reset, the remembered browser skips the code.
    await request(demo.app)
      .post('/login')
      .set('Cookie', login.device)
      .type('form')
      .send({ email: BOB.email, password: BOB.password })
      .expect(303)
      .expect('Location', '/');
    expect(await signedIn(login.session)).toBe(true);
    expect(await signedIn(elsewhere.session)).toBe(true);

    await resetPassword(BOB, 'bob-new-password-2026', true);

    for (const session of [login.session, elsewhere.session]) {
      expect(await signedIn(session)).toBe(false);
      expect((await changeBilling(session).expect(401)).body).toMatchObject({
        error: 'login_required',
      });
    }
    // The remembered browser asks for the code again.
    await request(demo.app)
      .post('/login')
      .set('Cookie', login.device)
      .type('form')
      .send({ email: BOB.email, password: 'bob-new-password-2026' })
      .expect(303)
      .expect('Location', '/login/otp');
    expect(demo.inbox.latest(BOB.email)?.text).toContain(
      'was changed and every session signed out, and 1 remembered browser forgotten',
    );
    // A login after the reset stays signed in.
    const after = await logIn(BOB, { password: 'bob-new-password-2026' });
    expect(await signedIn(after.session)).toBe(true);

    // Both are in the workspace's activity log.
    const { agent: owner } = await logIn(ADA);
    const audit = await owner.get('/audit').expect(200);
    expect(audit.text).toContain('every session was signed out');
    expect(audit.text).toContain(
      '<strong>devices.revoked</strong> bob@acme.example signed out 1 remembered browser at the password reset',
    );
  });

  it('keeps remembered browsers when the box is unticked, and still signs sessions out', async () => {
    const login = await logIn(GRACE, { remember: true });
    await resetPassword(GRACE, 'grace-new-password-2026', false);
    expect(await signedIn(login.session)).toBe(false);
    // The remembered browser still skips the code (with the new password).
    await request(demo.app)
      .post('/login')
      .set('Cookie', login.device)
      .type('form')
      .send({ email: GRACE.email, password: 'grace-new-password-2026' })
      .expect(303)
      .expect('Location', '/');
  });
});
