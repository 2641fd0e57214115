import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';

/** Where the browser tests find Debian's chromium; `CHROMIUM_PATH` overrides it. */
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/**
 * What Chromium's CDP virtual authenticator attests with when a site asks for `direct`
 * attestation: `packed`, AAGUID 01020304-0506-0708-0102-030405060708, and a self-signed
 * "Batch Certificate" on a fixed P-256 key (re-signed at each registration: the key and names
 * stay, the bytes change). Listing `attestationRoot` as the root of that AAGUID in
 * `approvedAuthenticators` lets a test or a demo's development mode bind the virtual
 * authenticator at AAL3.
 *
 * Its private key ships in Chromium's source code: anyone can sign this attestation. Never
 * approve it where real accounts live.
 *
 * @example approvedAuthenticators: () => [{ aaguid: CHROMIUM_VIRTUAL_AUTHENTICATOR.aaguid, roots: [CHROMIUM_VIRTUAL_AUTHENTICATOR.attestationRoot] }]
 * @see https://chromedevtools.github.io/devtools-protocol/tot/WebAuthn/
 */
export const CHROMIUM_VIRTUAL_AUTHENTICATOR = Object.freeze({
  aaguid: '01020304-0506-0708-0102-030405060708',
  description: 'Chromium virtual authenticator (testing only: its attestation key is public)',
  attestationRoot: `-----BEGIN CERTIFICATE-----
MIIB1DCCAXqgAwIBAgIBATAKBggqhkjOPQQDAjBgMQswCQYDVQQGEwJVUzERMA8G
A1UECgwIQ2hyb21pdW0xIjAgBgNVBAsMGUF1dGhlbnRpY2F0b3IgQXR0ZXN0YXRp
b24xGjAYBgNVBAMMEUJhdGNoIENlcnRpZmljYXRlMB4XDTE3MDcxNDAyNDAwMFoX
DTQ2MTIwMjIxNDcxOFowYDELMAkGA1UEBhMCVVMxETAPBgNVBAoMCENocm9taXVt
MSIwIAYDVQQLDBlBdXRoZW50aWNhdG9yIEF0dGVzdGF0aW9uMRowGAYDVQQDDBFC
YXRjaCBDZXJ0aWZpY2F0ZTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABI1hfmXJ
UI5kvMVnOsgqZ5naPBRGaCwljEY//99Y39L6Pmw3i1PXlcSk3/tBme3Xhi8jq68C
A7S4kRugVpmU4QGjJTAjMAwGA1UdEwEB/wQCMAAwEwYLKwYBBAGC5RwCAQEEBAMC
AwgwCgYIKoZIzj0EAwIDSAAwRQIhAL1nkETQC7J1wfEz0PpL6tsafh/qfyEoCutr
hfua/JAzAiBjx2KqKRvYrtvn96YpiBL+mHqM856oZlRYvWmLRu87TA==
-----END CERTIFICATE-----
`,
});

/**
 * Launches headless Chromium (Debian's, never a downloaded one) through playwright-core, with the
 * flags a container needs. Throws when the browser is missing: browser tests fail, never skip.
 * playwright-core is an optional peer dependency, loaded only here.
 *
 * @example const browser = await launchChromium();
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium must be installed at ${CHROMIUM_PATH} (Debian: apt-get install chromium; .ci/run does it)`,
    );
  }
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
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
}

/**
 * Opens `url` in a fresh browser context that has a CDP virtual authenticator: CTAP2, internal
 * (platform) transport, resident keys, user verification, presence simulated — a device-bound
 * passkey unless `options` say otherwise (e.g. `defaultBackupEligibility` and `defaultBackupState`
 * for a synced one). Close it with `page.context().close()`.
 *
 * @example const page = await pageWithVirtualAuthenticator(browser, 'http://localhost:3000/');
 * @see https://chromedevtools.github.io/devtools-protocol/tot/WebAuthn/
 */
export async function pageWithVirtualAuthenticator(
  browser: Browser,
  url: string,
  options: Readonly<Record<string, boolean>> = {},
): Promise<Page> {
  const context = await browser.newContext();
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
      ...options,
    },
  });
  await page.goto(url);
  return page;
}
