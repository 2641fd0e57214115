// Acme Console end to end in headless Chromium (Debian's, through playwright-core) with a CDP
// virtual authenticator: every checkpoint clicked through as a user would, codes read from the
// development inbox, a screenshot of each page saved under .ci-artifacts/screenshots/b2b-saas/.
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, pageWithVirtualAuthenticator } from '@checkpoint/webauthn/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoApp, type DemoApp } from '../src/createDemoApp.js';
import { browserHelpers, codeIn, ROOT } from './browser.js';

const DASHBOARD_IMAGE = join(ROOT, 'docs', 'images', 'dashboard.png');

const ADA = { email: 'ada@acme.example', password: 'acme-demo-password', phone: '+14155550101' };
const BOB = { email: 'bob@acme.example', phone: '+14155550102' };
const ALICE_PHONE = '+14155550104';

let demo: DemoApp;
let browser: Browser;
/** Ada's tab, signed in by the login test and used by the console tests after it. */
let ada: Page;
const { shot, inboxMessage, post } = browserHelpers(() => demo);

beforeAll(async () => {
  demo = await createDemoApp({ log: () => {} });
  // Debian's chromium; a missing browser fails this file, it is never skipped.
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

/** A tab in a new browser context: its own cookies, nobody signed in. */
async function freshPage(): Promise<Page> {
  const context = await browser.newContext();
  return context.newPage();
}

describe('sign-up and login', () => {
  it('signs up with a verified phone, after refusing a premium-rate number', async () => {
    const page = await freshPage();
    try {
      await page.goto(`${demo.url}/signup`);
      await shot(page, '01-signup');
      const fill = async (phone: string) => {
        await page.selectOption('select[name="tenant"]', 'acme');
        await page.fill('input[name="name"]', 'Carol Chen');
        await page.fill('input[name="email"]', 'carol@acme.example');
        await page.fill('input[name="phone"]', phone);
        await page.fill('input[name="password"]', 'carol-demo-password');
        await page.click('button[type="submit"]');
      };
      await fill('+19005550100'); // premium rate: SMS pumping, refused before any code
      await expect.poll(() => page.locator('.error').innerText()).toContain('premium-rate');

      await fill('+14155550177');
      await page.waitForURL('**/signup/verify');
      await expect(page.locator('input[name="code"]').getAttribute('autocomplete')).resolves.toBe(
        'one-time-code',
      );
      await shot(page, '02-signup-verify');
      const message = await inboxMessage(page, '+14155550177', '03-dev-inbox');
      expect(message).toContain('is your Acme Console verification code');
      expect(message).toMatch(/@localhost #\d{6}$/); // the WebOTP line
      await page.fill('input[name="code"]', codeIn(message));
      await page.click('[data-otp-form] button[type="submit"]');
      await page.waitForURL(`${demo.url}/`);
      expect(await page.locator('body').innerText()).toContain('Welcome, Carol Chen');
      expect(await page.locator('.aal').innerText()).toBe('AAL2');
    } finally {
      await page.context().close();
    }
  });

  it('logs in with a password and the code from the outbox; a wrong code is refused', async () => {
    ada = await pageWithVirtualAuthenticator(browser, `${demo.url}/login`);
    await shot(ada, '04-login');
    await ada.fill('input[name="email"]', ADA.email);
    await ada.fill('input[name="password"]', ADA.password);
    await ada.click('form[action="/login"] button[type="submit"]');
    await ada.waitForURL('**/login/otp');
    await shot(ada, '05-login-otp');
    expect(await ada.locator('button[data-resend-at]').isDisabled()).toBe(true); // cooldown shown
    expect(await ada.locator('button[data-resend-at]').innerText()).toMatch(
      /Resend code \(\d+ s\)/,
    );

    const code = codeIn(await inboxMessage(ada, ADA.phone));
    await ada.fill('input[name="code"]', code === '000000' ? '111111' : '000000');
    await ada.click('[data-otp-form] button[type="submit"]');
    expect(await ada.locator('.error').innerText()).toContain('4 attempts left');

    await ada.fill('input[name="code"]', code);
    await ada.click('[data-otp-form] button[type="submit"]');
    await ada.waitForURL(`${demo.url}/`);
    expect(await ada.locator('body').innerText()).toContain('Signed in as ada@acme.example');
    expect(await ada.locator('.aal').innerText()).toBe('AAL2');
    await shot(ada, '06-console');
  });
});

describe('the checkpoints', () => {
  it('enrols a passkey with the virtual authenticator', async () => {
    await ada.goto(`${demo.url}/security`);
    await ada.click('#add-passkey');
    await ada.waitForURL('**/security?added=1');
    expect(await ada.locator('#passkey-count').innerText()).toBe('1 passkey.');
    expect(await ada.locator('.passkeys').innerText()).toContain('device-bound (AAL3)');
    await shot(ada, '07-security-passkey');
    expect(await inboxMessage(ada, ADA.phone)).toContain('A passkey was added to Acme Console');
  });

  it('grants the admin role only through an AAL3 passkey step-up, for exactly that grant', async () => {
    await ada.goto(`${demo.url}/admin/members`);
    await shot(ada, '08-members');
    const bobRow = ada.locator('tr', { hasText: BOB.email });
    const bobId = (await bobRow.locator('input[name="userId"]').getAttribute('value')) ?? '';
    await bobRow.getByRole('button', { name: 'Make admin' }).click();
    await ada.waitForURL('**/step-up?checkpoint=admin_role_grant**');
    expect(await ada.locator('#approving').innerText()).toBe(
      `granting the admin role to ${BOB.email}`,
    );
    // AAL3 at Acme: a code by SMS is never offered (a restricted authenticator, ASVS V6.6.1).
    expect(await ada.getByRole('button', { name: 'Text me a code' }).count()).toBe(0);
    await shot(ada, '09-step-up-admin');

    await ada.getByRole('button', { name: 'Use your passkey' }).click();
    await ada.waitForURL('**/admin/members?resume=1');
    await expect
      .poll(() => ada.locator('[data-result]').innerText())
      .toMatch(
        new RegExp(
          `^Granted admin to ${BOB.email}\\. Their admin actions wait until .+, or another admin's approval\\.$`,
        ),
      );
    await shot(ada, '10-members-granted');

    // The grant was spent by that request: the same action again needs a new step-up.
    expect(await post(ada, '/admin/roles', { userId: bobId, role: 'admin' })).toEqual({
      status: 401,
      error: 'step_up_required',
    });
  });

  it('changes billing after a code whose message says what it approves', async () => {
    await ada.goto(`${demo.url}/billing`);
    await ada.fill('input[name="card"]', '4242 4242 4242 4242');
    await ada.selectOption('select[name="plan"]', 'team');
    await shot(ada, '11-billing');
    await ada.click('#billing-form button[type="submit"]');
    await ada.waitForURL('**/step-up?checkpoint=billing_change**');
    expect(await ada.locator('#approving').innerText()).toBe(
      'changing the billing card to …4242 (team plan)',
    );
    await ada.getByRole('button', { name: 'Text me a code' }).click();
    await expect.poll(() => ada.locator('#otp-sent').innerText()).toContain('sms');
    await shot(ada, '12-step-up-billing');
    const message = await inboxMessage(ada, ADA.phone);
    expect(message).toContain('approves changing the billing card to …4242 (team plan)');
    await ada.fill('#otp-step input[name="code"]', codeIn(message));
    await ada.click('#otp-step button[type="submit"]');
    await ada.waitForURL('**/billing?resume=1');
    await expect
      .poll(() => ada.locator('[data-result]').innerText())
      .toBe('Billing updated: card …4242, team plan.');
    await ada.reload();
    expect(await ada.locator('#billing-current').innerText()).toContain('…4242, team plan');

    // A grant for card …4242 never approves another card.
    expect(await post(ada, '/billing', { card: '5555555555554444', plan: 'team' })).toEqual({
      status: 401,
      error: 'step_up_required',
    });
  });

  it('approves nothing when the action changed after the code was sent, and says so', async () => {
    await ada.goto(`${demo.url}/billing`);
    await ada.fill('input[name="card"]', '4000 0000 0000 0077');
    await ada.selectOption('select[name="plan"]', 'starter');
    await ada.click('#billing-form button[type="submit"]');
    await ada.waitForURL('**/step-up?checkpoint=billing_change**');
    await ada.getByRole('button', { name: 'Text me a code' }).click();
    await expect.poll(() => ada.locator('#otp-sent').innerText()).toContain('sms');
    const message = await inboxMessage(ada, ADA.phone);
    expect(message).toContain('approves changing the billing card to …0077 (starter plan)');
    // Another tab (or a script) asks for a different card while the code is on its way.
    expect(await post(ada, '/billing', { card: '5555555555554444', plan: 'enterprise' })).toEqual({
      status: 401,
      error: 'step_up_required',
    });
    await ada.fill('#otp-step input[name="code"]', codeIn(message));
    await ada.click('#otp-step button[type="submit"]');
    await expect
      .poll(() => ada.locator('#stepup-result').innerText())
      .toBe('The action changed after this code was sent; nothing new was approved. Try again.');
    // The page stays, and names what a new step-up would approve.
    expect(new URL(ada.url()).pathname).toBe('/step-up');
    await expect
      .poll(() => ada.locator('#approving').innerText())
      .toBe('changing the billing card to …4444 (enterprise plan)');
    await shot(ada, '29-step-up-action-changed');
    await ada.goto(`${demo.url}/billing`);
    expect(await ada.locator('#billing-current').innerText()).toContain('…4242, team plan');
  });

  it('creates an API key within five minutes of a full login, showing the secret once', async () => {
    await ada.goto(`${demo.url}/api-keys`);
    await ada.fill('#api-key-form input[name="name"]', 'CI deploys');
    await ada.click('#api-key-form button[type="submit"]');
    await expect
      .poll(() => ada.locator('[data-result]').innerText())
      .toMatch(/^Created “CI deploys”\. .*ak_live_/);
    await shot(ada, '13-api-keys');
    await ada.reload();
    expect(await ada.locator('#api-keys').innerText()).toContain('CI deploys');
    expect(await ada.locator('#api-keys').innerText()).not.toMatch(/ak_live_\S{20,}/);
  });

  it('shows and exports the audit log, with no code in it', async () => {
    await ada.goto(`${demo.url}/audit`);
    const page = await ada.locator('main').innerText();
    expect(page).toContain('verification.approved');
    expect(page).toContain('billing_change');
    expect(page).toContain('role.granted');
    await shot(ada, '14-audit-log');
    const [download] = await Promise.all([ada.waitForEvent('download'), ada.click('#export-csv')]);
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv.split('\n')[0]).toContain('type');
    expect(csv).toContain('verification.approved');
    // Every code sent so far (the inbox also holds notices, whose digits are not codes).
    const codes = demo.inbox
      .messages()
      .map((message) => /^(\d{6}) /.exec(message.text)?.[1])
      .filter((code) => code !== undefined);
    expect(codes.length).toBeGreaterThan(0);
    // As a value of its own (a 6-digit run inside a longer number or id is not the code).
    for (const code of codes) expect(csv).not.toMatch(new RegExp(`(?<!\\d)${code}(?!\\d)`));
  });

  it('exports data after a step-up bound to the export', async () => {
    await ada.goto(`${demo.url}/data-export`);
    await shot(ada, '15-data-export');
    await ada.click('#data-export-form button[type="submit"]');
    await ada.waitForURL('**/step-up?checkpoint=data_export**');
    expect(await ada.locator('#approving').innerText()).toBe('exporting all data of Acme Corp');
    await ada.getByRole('button', { name: 'Use your passkey' }).click();
    await ada.waitForURL('**/data-export?resume=1');
    await expect
      .poll(() => ada.locator('[data-result]').innerText())
      .toMatch(/^Exported 4 members and 1 API keys\.$/);
  });

  it('draws the operator dashboard', async () => {
    await ada.goto(`${demo.url}/dashboard`);
    expect(await ada.locator('figure.chart').count()).toBe(8);
    const text = await ada.locator('main').innerText();
    for (const title of [
      'Verification rate by flow',
      'Channel mix',
      'Blocked share',
      'Step-up uptake',
      'MFA enrolment uptake',
      'Signup pumping-signal rate',
      'Step-up approvals by method',
      'Drop-off by country',
    ]) {
      expect(text).toContain(title);
    }
    expect(text).toContain('admin_role_grant');
    // Ada's passkey, enrolled earlier in this journey, shows in the enrolment uptake.
    expect(text).toMatch(/webauthn \(phishing-resistant\)\s+\d+ % \([1-9]\d*\)/);
    // The seeded toll-fraud attempts at signup are pumping signals, the bot walking a block of
    // numbers among them: the default guards stopped it after its 20th send.
    expect(text).toMatch(/blocked_pumping\s+\d+ % \([1-9]\d*\)/);
    expect(text).toContain('prefix_burst');
    const dashboard = await shot(ada, '16-dashboard');
    // The README's picture is refreshed on request (or when missing), not rewritten by every run.
    if (process.env['UPDATE_README_IMAGES'] === '1' || !existsSync(DASHBOARD_IMAGE)) {
      mkdirSync(join(ROOT, 'docs', 'images'), { recursive: true });
      copyFileSync(dashboard, DASHBOARD_IMAGE);
    }
  });

  it('signs in again without a password, with the passkey alone (AAL3)', async () => {
    await ada.getByRole('button', { name: 'Log out' }).click();
    await ada.waitForURL(`${demo.url}/`);
    expect(await ada.locator('.viewer').count()).toBe(0);
    await ada.goto(`${demo.url}/login`);
    await ada.selectOption('#passkey-tenant', 'globex');
    await ada.getByRole('button', { name: 'Sign in with a passkey' }).click();
    // Ada's passkey was enrolled at Acme: it does not open Globex.
    await expect.poll(() => ada.locator('#passkey-error').innerText()).toContain('not accepted');
    await ada.selectOption('#passkey-tenant', 'acme');
    await ada.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await ada.waitForURL(`${demo.url}/`);
    expect(await ada.locator('main').innerText()).toContain('with webauthn');
    expect(await ada.locator('.aal').innerText()).toBe('AAL3');
  });
});

describe('password reset and SSO', () => {
  it('resets a password with a code to the phone, without signing in', async () => {
    const page = await freshPage();
    try {
      await page.goto(`${demo.url}/reset`);
      await page.fill('input[name="email"]', BOB.email);
      await page.click('button[type="submit"]');
      await page.waitForURL('**/reset/verify');
      // Offered with the new password, ticked by default.
      expect(await page.getByLabel('Also sign out remembered browsers').isChecked()).toBe(true);
      await shot(page, '17-reset-verify');
      const message = await inboxMessage(page, BOB.phone);
      await page.fill('input[name="code"]', codeIn(message));
      await page.fill('input[name="password"]', 'bob-new-password-2026');
      await page.click('[data-otp-form] button[type="submit"]');
      await page.waitForURL('**/login');
      expect(await page.locator('.flash').innerText()).toContain('a code is still required');
      expect(await inboxMessage(page, BOB.email)).toContain(
        'password of your Acme Console account was changed',
      );

      // The new password works — and still asks for the second factor.
      await page.fill('input[name="email"]', BOB.email);
      await page.fill('input[name="password"]', 'bob-new-password-2026');
      await page.click('form[action="/login"] button[type="submit"]');
      await page.waitForURL('**/login/otp');
    } finally {
      await page.context().close();
    }
  });

  it('signs in through the demo IdP at Acme, which trusts its MFA', async () => {
    const page = await freshPage();
    try {
      await page.goto(`${demo.url}/login`);
      await page.getByRole('link', { name: 'SSO for Acme Corp' }).click();
      await page.waitForURL(`${demo.url}/`);
      expect(await page.locator('h1').innerText()).toBe('Acme Corp console');
      expect(await page.locator('main').innerText()).toContain('with sso');
      expect(await page.locator('.aal').innerText()).toBe('AAL2');
      await shot(page, '18-sso-acme');
    } finally {
      await page.context().close();
    }
  });

  it('asks for a second factor after the same IdP login at Globex, which does not trust it', async () => {
    const page = await freshPage();
    try {
      await page.goto(`${demo.url}/login`);
      await page.getByRole('link', { name: 'SSO for Globex' }).click();
      await page.waitForURL('**/login/otp');
      expect(await page.locator('main').innerText()).toContain(
        'Globex does not accept the IdP’s own MFA',
      );
      await shot(page, '19-sso-globex-code');
      expect(await page.goto(`${demo.url}/audit`).then((res) => res?.url())).toContain('/login');

      await page.goto(`${demo.url}/login/otp`);
      await page.fill('input[name="code"]', codeIn(await inboxMessage(page, ALICE_PHONE)));
      await page.click('[data-otp-form] button[type="submit"]');
      await page.waitForURL(`${demo.url}/`);
      expect(await page.locator('h1').innerText()).toBe('Globex console');
      expect(await page.locator('main').innerText()).toContain('with sso + otp-sms');
    } finally {
      await page.context().close();
    }
  });
});
