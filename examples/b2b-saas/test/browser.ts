// What the browser tests share: where screenshots go, the dev inbox read from a tab, a JSON POST
// from the page. Each test file starts its own demo and Chromium and passes its demo in.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import type { DemoApp } from '../src/createDemoApp.js';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const SHOTS = join(ROOT, '.ci-artifacts', 'screenshots', 'b2b-saas');

/** The six-digit code at the start of a code message. */
export function codeIn(text: string): string {
  const code = /^(\d{6}) /.exec(text)?.[1];
  if (code === undefined) throw new Error(`no code in: ${text}`);
  return code;
}

/** Helpers bound to the demo a test file started (read lazily: it starts in beforeAll). */
export function browserHelpers(demo: () => DemoApp) {
  mkdirSync(SHOTS, { recursive: true });

  async function shot(page: Page, name: string): Promise<string> {
    const path = join(SHOTS, `${name}.png`);
    await page.screenshot({ path, fullPage: true });
    return path;
  }

  /**
   * The newest message to `to` (of `channel`, when given), read from the dev inbox page in a tab
   * of the same browser.
   */
  async function inboxMessage(
    page: Page,
    to: string,
    screenshot?: string,
    channel?: string,
  ): Promise<string> {
    const inbox = await page.context().newPage();
    try {
      await inbox.goto(`${demo().url}/dev/inbox`);
      if (screenshot !== undefined) await shot(inbox, screenshot);
      const of = channel === undefined ? '' : `[data-channel="${channel}"]`;
      return await inbox.locator(`li.message[data-to="${to}"]${of} pre`).first().innerText();
    } finally {
      await inbox.close();
    }
  }

  /** POSTs JSON from the page (same origin, its cookies): what a script on the page could do. */
  function post(
    page: Page,
    path: string,
    body: unknown,
  ): Promise<{ status: number; error: string | undefined }> {
    return page.evaluate(
      async ([path, body]) => {
        const res = await fetch(path, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify(body),
        });
        return { status: res.status, error: ((await res.json()) as { error?: string }).error };
      },
      [path, body] as const,
    );
  }

  return { shot, inboxMessage, post };
}
