// Real Chromium, real virtual authenticator, @simplewebauthn/browser: the ceremonies work end to end.
import { MemoryStore } from '@checkpoint/core';
import { assuranceOf } from '@checkpoint/policy';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebAuthn } from './createWebAuthn.js';
import { MemoryCredentialRepository } from './credentials/MemoryCredentialRepository.js';
import { type BrowserApp, startBrowserApp } from './fixtures/browserApp.js';
import { launchChromium, pageWithVirtualAuthenticator } from './testing/chromium.js';

let browser: Browser;
let app: BrowserApp;

beforeAll(async () => {
  browser = await launchChromium();
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
  const page = await pageWithVirtualAuthenticator(browser, app.origin, authenticator);
  try {
    await page.waitForFunction('globalThis.ready === true');
    return await page.evaluate<CeremonyOutcome>(`runCeremonies(${JSON.stringify(userId)})`);
  } finally {
    await page.context().close();
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
