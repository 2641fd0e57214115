import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';

/** Where the browser tests find Debian's chromium; `CHROMIUM_PATH` overrides it. */
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

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
