// Real Chromium, real virtual authenticator, @simplewebauthn/browser: the ceremonies work end to end.
import { existsSync } from 'node:fs';
import { MemoryStore } from '@checkpoint/core';
import { assuranceOf } from '@checkpoint/policy';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebAuthn } from './createWebAuthn.js';
import { MemoryCredentialRepository } from './credentials/MemoryCredentialRepository.js';
import { type BrowserApp, startBrowserApp } from './fixtures/browserApp.js';

// CI installs Debian's chromium here; a missing browser fails this file, it is never skipped.
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

let browser: Browser;
let app: BrowserApp;

beforeAll(async () => {
  expect(existsSync(CHROMIUM), `Chromium must be installed at ${CHROMIUM}`).toBe(true);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  app = await startBrowserApp((origin) =>
    createWebAuthn({
      rpID: 'localhost',
      rpName: 'Acme Console',
      origins: [origin],
      store: new MemoryStore(),
      credentials: new MemoryCredentialRepository(),
    }),
  );
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

interface CeremonyOutcome {
  registered: { status: number; body: Record<string, unknown> };
  verified: { status: number; body: Record<string, unknown> };
}

/** Runs registration then authentication in a fresh page with its own virtual authenticator. */
async function runInChromium(
  userId: string,
  authenticator: Record<string, boolean>,
): Promise<CeremonyOutcome> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable', { enableUI: false });
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
        ...authenticator,
      },
    });
    await page.goto(app.origin);
    await page.waitForFunction('globalThis.ready === true');
    return await page.evaluate<CeremonyOutcome>(`runCeremonies(${JSON.stringify(userId)})`);
  } finally {
    await context.close();
  }
}

describe('passkeys in headless Chromium', () => {
  it('registers a device-bound passkey and steps up with it to AAL3', async () => {
    const outcome = await runInChromium('u_chromium', {});

    expect(outcome.registered).toMatchObject({
      status: 200,
      body: { userId: 'u_chromium', deviceType: 'singleDevice', backedUp: false },
    });
    expect(outcome.verified.status).toBe(200);
    const result = app.results.find((r) => r.userId === 'u_chromium');
    expect(result?.factor).toMatchObject({
      method: 'webauthn',
      aal: 3,
      userVerified: true,
      deviceBound: true,
    });
    expect(result?.credential.counter).toBeGreaterThan(0);
    expect(assuranceOf(result ? [result.factor] : [], { id: 'acme' }).aal).toBe(3);
  });

  it('gives a synced passkey (backup eligible and backed up) AAL2', async () => {
    const outcome = await runInChromium('u_synced', {
      defaultBackupEligibility: true,
      defaultBackupState: true,
    });

    expect(outcome.registered).toMatchObject({
      status: 200,
      body: { deviceType: 'multiDevice', backedUp: true },
    });
    expect(outcome.verified.status).toBe(200);
    const result = app.results.find((r) => r.userId === 'u_synced');
    expect(result?.factor).toMatchObject({ aal: 2, userVerified: true, deviceBound: false });
  });
});
