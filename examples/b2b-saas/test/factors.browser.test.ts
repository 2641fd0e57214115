// Grace's own second factors in headless Chromium: an authenticator app enrolled from the Security
// page (codes computed from the key the page shows, as the phone would), recovery codes, and a
// remembered browser — each used at login, each refused a second time, and none of them letting a
// step-up through on a remembered browser alone. The app also approves a billing step-up, the
// page fixing the action (`begin`) before the code is typed. One browser context throughout: its cookies are
// "this browser". Screenshots continue the numbering of console.browser.test.ts.
import { totpCode } from '@checkpoint/factors';
import { launchChromium } from '@checkpoint/webauthn/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoApp, type DemoApp } from '../src/createDemoApp.js';
import { browserHelpers, codeIn } from './browser.js';

const GRACE = {
  email: 'grace@globex.example',
  password: 'globex-demo-password',
  phone: '+14155550103',
};

let demo: DemoApp;
let browser: Browser;
/** Grace's tab; its browser context is the browser that gets remembered. */
let grace: Page;
const { shot, inboxMessage } = browserHelpers(() => demo);
/** The key of Grace's authenticator app, read from the enrolment page. */
let secret = '';
/** The newest time step of Grace's app accepted so far: never that one again, nor an earlier one. */
let lastStep = 0;
const PERIOD_MS = 30_000;
/** The app code used for a login: never accepted again. */
let usedTotpCode = '';
/** Grace's first set of recovery codes. */
let recoveryCodes: string[] = [];

beforeAll(async () => {
  demo = await createDemoApp({ seed: false, log: () => {} });
  browser = await launchChromium();
  grace = await (await browser.newContext()).newPage();
});

afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

/** Factor 1: email and password on the login page. */
async function enterPassword(): Promise<void> {
  await grace.goto(`${demo.url}/login`);
  await grace.fill('input[name="email"]', GRACE.email);
  await grace.fill('input[name="password"]', GRACE.password);
  await grace.click('form[action="/login"] button[type="submit"]');
}

async function logOut(): Promise<void> {
  await grace.getByRole('button', { name: 'Log out' }).click();
  await grace.waitForURL(`${demo.url}/`);
}

/**
 * A code of Grace's app for a time step not accepted yet (RFC 6238 §5.2): the next step, which the
 * verifier's ±1 window takes. When that step was spent already, this waits for the real clock to
 * reach it — the demo's factors run on it, so no fake clock can stand in (at most one period).
 */
async function freshTotpCode(): Promise<string> {
  const wait = lastStep * PERIOD_MS - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait + 100));
  lastStep = Math.floor(Date.now() / PERIOD_MS) + 1;
  return totpCode({ secret, at: lastStep * PERIOD_MS });
}

/** The newest code texted to Grace (notices to the same phone are skipped). */
async function textedCode(): Promise<string> {
  return codeIn(await inboxMessage(grace, GRACE.phone, undefined, 'sms'));
}

async function signedInWith(): Promise<string> {
  await grace.waitForURL(`${demo.url}/`);
  const text = await grace.locator('main').innerText();
  return /with ([a-z0-9 +-]+) — session/.exec(text)?.[1] ?? text;
}

describe('an authenticator app', () => {
  it('is enrolled from the Security page: QR code as an image, the key, a first code', async () => {
    await enterPassword();
    await grace.waitForURL('**/login/otp');
    // No app yet: the code was texted, and no other factor is offered.
    expect(await grace.locator('#totp-login, #recovery-login').count()).toBe(0);
    await grace.fill('[data-otp-form] input[name="code"]', await textedCode());
    await grace.click('[data-otp-form] button[type="submit"]');
    expect(await signedInWith()).toBe('pwd + otp-sms');

    await grace.goto(`${demo.url}/security`);
    await shot(grace, '20-security-factors');
    // Within five minutes of a full login: factor_change is fresh, no step-up prompt.
    await grace.getByRole('button', { name: 'Set up an authenticator app' }).click();
    await grace.locator('#totp-enrolment').waitFor({ state: 'visible' });
    const src = (await grace.locator('#totp-qr').getAttribute('src')) ?? '';
    expect(src).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(Buffer.from(src.split(',')[1] ?? '', 'base64').toString('utf8')).toContain('<svg');
    expect(await grace.locator('#totp-card svg').count()).toBe(0); // never inline markup
    secret = (await grace.locator('#totp-secret').innerText()).trim();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/); // 160 bits, base32
    await shot(grace, '21-totp-enrol');

    await grace.fill('#totp-confirm input[name="code"]', '000000');
    await grace.click('#totp-confirm button[type="submit"]');
    await expect.poll(() => grace.locator('#totp-result').innerText()).toContain('not accepted');
    const confirmedAt = Date.now();
    lastStep = Math.floor(confirmedAt / PERIOD_MS);
    await grace.fill(
      '#totp-confirm input[name="code"]',
      await totpCode({ secret, at: confirmedAt }),
    );
    await grace.click('#totp-confirm button[type="submit"]');
    await grace.waitForURL('**/security?done=totp-added');
    expect(await grace.locator('#totp-status').innerText()).toMatch(/^On since/);
    expect(await grace.content()).not.toContain(secret); // the key was shown once, by the script
    expect(await inboxMessage(grace, GRACE.phone)).toContain(
      'An authenticator app was added on Acme Console',
    );
  });

  it('signs in with the password and an app code; the same code is refused a second time', async () => {
    await logOut();
    await enterPassword();
    await grace.waitForURL('**/login/otp');
    // With an app, nothing is texted unless asked for.
    expect(await grace.locator('#sms-send').innerText()).toContain('Text me a code instead');
    expect(await grace.locator('[data-otp-form]').count()).toBe(0);
    await shot(grace, '22-login-authenticator-app');
    // The next time step (within the ±1 window): the confirmation's step is spent.
    usedTotpCode = await freshTotpCode();
    await grace.fill('#totp-login input[name="code"]', usedTotpCode);
    await grace.click('#totp-login button[type="submit"]');
    expect(await signedInWith()).toBe('pwd + totp');
    expect(await grace.locator('.aal').innerText()).toBe('AAL2');

    await logOut();
    await enterPassword();
    await grace.waitForURL('**/login/otp');
    await grace.fill('#totp-login input[name="code"]', usedTotpCode);
    await grace.click('#totp-login button[type="submit"]');
    expect(await grace.locator('#totp-login .error').innerText()).toBe(
      'That code is not right, or it was already used.',
    );
    expect(await grace.locator('.viewer').count()).toBe(0);
    // The texted code, asked for, still completes the login.
    await grace.getByRole('button', { name: 'Text me a code instead' }).click();
    await grace.waitForURL('**/login/otp');
    await grace.fill('[data-otp-form] input[name="code"]', await textedCode());
    await grace.click('[data-otp-form] button[type="submit"]');
    expect(await signedInWith()).toBe('pwd + otp-sms');
  });
  it('approves a billing change at a step-up: the page fixes the action, then sends the app code with it', async () => {
    await grace.goto(`${demo.url}/billing`);
    await grace.fill('input[name="card"]', '4111 1111 1111 1111');
    await grace.selectOption('select[name="plan"]', 'team');
    await grace.click('#billing-form button[type="submit"]');
    await grace.waitForURL('**/step-up?checkpoint=billing_change**');
    const approving = 'changing the billing card to …1111 (team plan)';
    expect(await grace.locator('#approving').innerText()).toBe(approving);

    // The app's code carries no message: `begin` fixes the action before the code is typed.
    const begun = grace.waitForResponse((res) => res.url().endsWith('/billing_change/begin'));
    await grace.getByRole('button', { name: 'Use your authenticator app' }).click();
    const started = (await (await begun).json()) as { attempt?: string; approving?: string };
    expect(started.attempt).toMatch(/^at_/);
    expect(started.approving).toBe(approving);
    await grace.locator('#factor-step').waitFor({ state: 'visible' });
    expect(await grace.locator('#approving').innerText()).toBe(approving);
    await shot(grace, '30-step-up-billing-authenticator-app');

    const verify = grace.waitForRequest((req) => req.url().endsWith('/billing_change/totp/verify'));
    await grace.fill('#factor-step input[name="code"]', await freshTotpCode());
    await grace.click('#factor-step button[type="submit"]');
    expect((await verify).postDataJSON()).toMatchObject({ attempt: started.attempt });
    await grace.waitForURL('**/billing?resume=1');
    await expect
      .poll(() => grace.locator('[data-result]').innerText())
      .toBe('Billing updated: card …1111, team plan.');
  });
});

describe('recovery codes', () => {
  it('are shown once, and each signs in once', async () => {
    await grace.goto(`${demo.url}/security`);
    await grace.getByRole('button', { name: 'Generate recovery codes' }).click();
    await grace.locator('#recovery-new').waitFor({ state: 'visible' });
    recoveryCodes = await grace.locator('#recovery-codes li').allInnerTexts();
    expect(recoveryCodes).toHaveLength(10);
    await shot(grace, '23-recovery-codes');
    await grace.reload();
    expect(await grace.content()).not.toContain(recoveryCodes[0] ?? '-');
    expect(await grace.locator('#recovery-status').innerText()).toMatch(/^10 unused/);

    await logOut();
    await enterPassword();
    await grace.waitForURL('**/login/otp');
    expect(await grace.locator('#recovery-login').innerText()).toContain('10 saved recovery codes');
    await grace.fill('#recovery-login input[name="code"]', recoveryCodes[0] ?? '');
    await grace.click('#recovery-login button[type="submit"]');
    expect(await signedInWith()).toBe('pwd + recovery-code');
    expect(await inboxMessage(grace, GRACE.phone)).toContain(
      'a recovery code was used to sign in (9 left)',
    );

    await logOut();
    await enterPassword();
    await grace.waitForURL('**/login/otp');
    await grace.fill('#recovery-login input[name="code"]', recoveryCodes[0] ?? '');
    await grace.click('#recovery-login button[type="submit"]');
    expect(await grace.locator('#recovery-login .error').innerText()).toBe(
      'That code is not right, or it was already used.',
    );
    await shot(grace, '24-recovery-code-refused');
  });
});

describe('a remembered browser', () => {
  it('skips the login’s second factor once remembered, after a second factor', async () => {
    // Still on the refused recovery code's page: a texted code, with the box ticked.
    await grace.getByRole('button', { name: 'Text me a code instead' }).click();
    await grace.waitForURL('**/login/otp');
    const remember = grace.locator('[data-otp-form] label.check');
    expect(await remember.innerText()).toBe('Remember this browser for 30 days');
    await remember.locator('input[name="remember"]').check();
    await grace.fill('[data-otp-form] input[name="code"]', await textedCode());
    await grace.click('[data-otp-form] button[type="submit"]');
    expect(await signedInWith()).toBe('pwd + otp-sms');
    expect(await grace.locator('.flash').innerText()).toContain('This browser is remembered until');
    expect(await inboxMessage(grace, GRACE.phone)).toContain(
      'a browser was remembered for 30 days',
    );

    await logOut();
    await enterPassword();
    expect(await signedInWith()).toBe('pwd + remembered-device');
    expect(await grace.locator('.flash').innerText()).toContain('no code was needed');
    await shot(grace, '25-remembered-login');
  });

  it('never counts at a step-up: billing still asks for a factor', async () => {
    await grace.goto(`${demo.url}/billing`);
    await grace.fill('input[name="card"]', '4000 0566 5566 5556');
    await grace.click('#billing-form button[type="submit"]');
    await grace.waitForURL('**/step-up?checkpoint=billing_change**');
    expect(await grace.getByRole('button', { name: 'Use your authenticator app' }).count()).toBe(1);
    expect(await grace.getByRole('button', { name: 'Text me a code' }).count()).toBe(1);
    // Recovery codes are for regaining access, not for approving a payment.
    expect(await grace.getByRole('button', { name: 'Use a recovery code' }).count()).toBe(0);
    await shot(grace, '26-step-up-remembered-browser');
  });

  it('needs a fresh step-up to change factors; a recovery code may give it', async () => {
    await grace.goto(`${demo.url}/security`);
    await grace.getByRole('button', { name: 'Regenerate recovery codes' }).click();
    await grace.waitForURL('**/step-up?checkpoint=factor_change**');
    expect(await grace.getByRole('button', { name: 'Use your authenticator app' }).count()).toBe(1);
    await shot(grace, '27-step-up-factor-change');
    await grace.getByRole('button', { name: 'Use a recovery code' }).click();
    await grace.fill('#factor-step input[name="code"]', recoveryCodes[1] ?? '');
    await grace.click('#factor-step button[type="submit"]');
    // Back on the Security page, the click that asked for the step-up runs again.
    await grace.waitForURL('**/security?resume=1');
    await grace.locator('#recovery-new').waitFor({ state: 'visible' });
    const fresh = await grace.locator('#recovery-codes li').allInnerTexts();
    expect(fresh).toHaveLength(10);
    expect(fresh).not.toContain(recoveryCodes[2]);
    expect(await inboxMessage(grace, GRACE.phone)).toContain(
      'New recovery codes were made (the old ones no longer work) on Acme Console',
    );
  });

  it('is revoked from the Security page; the next login asks for the second factor again', async () => {
    await grace.goto(`${demo.url}/security`);
    const device = grace.locator('#devices li');
    expect(await device.count()).toBe(1);
    expect(await device.innerText()).toContain('(this browser)');
    await shot(grace, '28-security-remembered-browser');
    await device.getByRole('button', { name: 'Revoke' }).click();
    await grace.waitForURL('**/security?done=device-revoked');
    expect(await grace.locator('#devices-none').count()).toBe(1);

    await logOut();
    await enterPassword();
    await grace.waitForURL('**/login/otp');
    expect(await grace.locator('#totp-login').count()).toBe(1);
    await grace.getByRole('button', { name: 'Text me a code instead' }).click();
    await grace.waitForURL('**/login/otp');
    await grace.fill('[data-otp-form] input[name="code"]', await textedCode());
    await grace.click('[data-otp-form] button[type="submit"]');
    expect(await signedInWith()).toBe('pwd + otp-sms');

    // And the app is removed (fresh factor_change from that login): logins text a code again.
    await grace.goto(`${demo.url}/security`);
    await grace.getByRole('button', { name: 'Remove the authenticator app' }).click();
    await grace.waitForURL('**/security?done=totp-removed');
    expect(await grace.locator('#totp-status').innerText()).toMatch(/^Not set up/);
  });
});
