// Real Chromium, real virtual authenticator, @simplewebauthn/browser: the ceremonies work end to end,
// and its packed attestation is what decides AAL3.
import { MemoryStore } from '@checkpoint/core';
import { assuranceOf } from '@checkpoint/policy';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebAuthn } from './createWebAuthn.js';
import { MemoryCredentialRepository } from './credentials/MemoryCredentialRepository.js';
import { type BrowserApp, startBrowserApp } from './fixtures/browserApp.js';
import {
  CHROMIUM_VIRTUAL_AUTHENTICATOR,
  launchChromium,
  pageWithVirtualAuthenticator,
} from './testing/chromium.js';

let browser: Browser;
/** Trusts the virtual authenticator's attestation root for its model and approves AAL3 bindings. */
let app: BrowserApp;
/** Checks no attestation: every passkey is AAL2 at most. */
let plain: BrowserApp;

beforeAll(async () => {
  browser = await launchChromium();
  const webauthnOn = (origin: string, trusting: boolean) =>
    createWebAuthn({
      rpID: 'localhost',
      rpName: 'Acme Console',
      origins: [origin],
      store: new MemoryStore(),
      credentials: new MemoryCredentialRepository(),
      ...(trusting
        ? {
            // Test only: the virtual authenticator's attestation key is public.
            approvedAuthenticators: () => [
              {
                aaguid: CHROMIUM_VIRTUAL_AUTHENTICATOR.aaguid,
                roots: [CHROMIUM_VIRTUAL_AUTHENTICATOR.attestationRoot],
              },
            ],
            approveAal3Enrolment: () => ({ approvedBy: 'test approval' }),
          }
        : {}),
    });
  app = await startBrowserApp((origin) => webauthnOn(origin, true));
  plain = await startBrowserApp((origin) => webauthnOn(origin, false));
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await plain?.close();
});

interface CeremonyOutcome {
  registered: { status: number; body: Record<string, unknown> };
  verified: { status: number; body: Record<string, unknown> };
}

/** Runs registration then authentication in a fresh page with its own virtual authenticator. */
async function runInChromium(
  userId: string,
  authenticator: Record<string, boolean>,
  on: BrowserApp = app,
): Promise<CeremonyOutcome> {
  const page = await pageWithVirtualAuthenticator(browser, on.origin, authenticator);
  try {
    await page.waitForFunction('globalThis.ready === true');
    return await page.evaluate<CeremonyOutcome>(`runCeremonies(${JSON.stringify(userId)})`);
  } finally {
    await page.context().close();
  }
}

describe('passkeys in headless Chromium', () => {
  it('registers a device-bound passkey with a packed attestation of an approved model and steps up with it to AAL3', async () => {
    const outcome = await runInChromium('u_chromium', {});

    expect(outcome.registered).toMatchObject({
      status: 200,
      body: {
        userId: 'u_chromium',
        deviceType: 'singleDevice',
        backedUp: false,
        attested: {
          format: 'packed',
          aaguid: CHROMIUM_VIRTUAL_AUTHENTICATOR.aaguid,
          trust: 'tenant',
        },
        aal3: { approvedBy: 'test approval', first: true },
      },
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

  it('gives the same device-bound passkey AAL2 where nothing checks its attestation', async () => {
    const outcome = await runInChromium('u_unchecked', {}, plain);

    expect(outcome.registered).toMatchObject({
      status: 200,
      body: { deviceType: 'singleDevice', backedUp: false },
    });
    expect(outcome.registered.body['attested']).toBeUndefined();
    expect(outcome.verified.status).toBe(200);
    const result = plain.results.find((r) => r.userId === 'u_unchecked');
    expect(result?.factor).toMatchObject({ aal: 2, userVerified: true, deviceBound: false });
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
