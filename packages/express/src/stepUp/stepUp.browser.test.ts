// Headless Chromium with a CDP virtual authenticator, @simplewebauthn/browser in the page, and the
// step-up router: enrol a passkey (its packed attestation checked against the virtual
// authenticator's root, which this test approves, and bound at AAL3 by an approval), pass an AAL3
// admin grant with it, be refused after max age.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createCheckpoint, MemoryStore, outboxChannel } from '@checkpoint/core';
import { ManualClock } from '@checkpoint/core/testing';
import { ENTERPRISE_PRESET, factor, type TenantPolicy } from '@checkpoint/policy';
import { createWebAuthn, MemoryCredentialRepository } from '@checkpoint/webauthn';
import {
  CHROMIUM_VIRTUAL_AUTHENTICATOR,
  launchChromium,
  pageWithVirtualAuthenticator,
} from '@checkpoint/webauthn/testing';
import express from 'express';
import session from 'express-session';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStepUp } from './createStepUp.js';
import { recordFactor } from './recordFactor.js';

const TENANT: TenantPolicy = { id: 'bigcorp', stepUp: { ...ENTERPRISE_PRESET } };
const browserEsm = join(
  dirname(dirname(createRequire(import.meta.url).resolve('@simplewebauthn/browser'))),
  'esm',
);

const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>Acme step-up</title>
<script type="module">
  import { startAuthentication, startRegistration } from '/sw/index.js';
  const post = async (path, body = {}) => {
    const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: await res.json() };
  };
  globalThis.flow = {
    login: () => post('/login'),
    enrol: async () => {
      const options = await post('/auth/step-up/passkeys/register/options');
      const response = await startRegistration({ optionsJSON: options.body });
      return post('/auth/step-up/passkeys/register/verify', { response });
    },
    grant: () => post('/admin/roles', { role: 'admin', user: 'bob' }),
    stepUp: async () => {
      const options = await post('/auth/step-up/admin_role_grant/webauthn/options');
      const response = await startAuthentication({ optionsJSON: options.body });
      return post('/auth/step-up/admin_role_grant/webauthn/verify', { response, returnTo: '/admin' });
    },
  };
  globalThis.ready = true;
</script>`;

let browser: Browser;
let server: Server;
let origin: string;
const clock = new ManualClock();

beforeAll(async () => {
  const app = express();
  const ready: { handler?: express.Router } = {};
  app.use(express.json());
  app.use(session({ secret: 'browser-test', resave: false, saveUninitialized: false }));
  app.get('/', (_req, res) => {
    res.type('html').send(PAGE);
  });
  app.use('/sw', express.static(browserEsm));
  app.post('/login', (req, res, next) => {
    const options = { userId: 'alice', tenantId: TENANT.id, tenant: TENANT, now: clock.now() };
    recordFactor(req, factor('pwd', { at: clock.now() }), options)
      .then(() => recordFactor(req, factor('otp-sms', { at: clock.now(), codeLength: 6 }), options))
      .then(() => res.json({ ok: true }))
      .catch(next);
  });
  app.use((req, res, next) => (ready.handler ?? next)(req, res, next));
  server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  origin = `http://localhost:${(server.address() as AddressInfo).port}`;

  // The relying party is only known once the port is: build the step-up routes now.
  const store = new MemoryStore();
  const stepUp = createStepUp({
    checkpoint: createCheckpoint({
      secret: 'browser-step-up-secret-0123456789abcdefgh',
      channels: [outboxChannel({ name: 'sms' })],
      store,
      clock,
    }),
    destination: () => '+14155550100',
    tenantPolicy: () => TENANT,
    now: () => clock.now(),
    webauthn: createWebAuthn({
      rpID: 'localhost',
      rpName: 'Acme Console',
      origins: [origin],
      store,
      credentials: new MemoryCredentialRepository(),
      now: () => clock.now(),
      // Test only: the virtual authenticator's attestation key is public.
      approvedAuthenticators: () => [
        {
          aaguid: CHROMIUM_VIRTUAL_AUTHENTICATOR.aaguid,
          roots: [CHROMIUM_VIRTUAL_AUTHENTICATOR.attestationRoot],
        },
      ],
      approveAal3Enrolment: () => ({ approvedBy: 'test approval' }),
    }),
  });
  const routes = express.Router();
  routes.use('/auth/step-up', stepUp.router);
  routes.post('/admin/roles', stepUp.requireCheckpoint('admin_role_grant'), (_req, res) => {
    res.json({ granted: true });
  });
  ready.handler = routes;

  // Debian's chromium; a missing browser fails this file, it is never skipped.
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
});

async function pageWithPasskeyDevice(): Promise<Page> {
  const page = await pageWithVirtualAuthenticator(browser, origin);
  await page.waitForFunction('globalThis.ready === true');
  return page;
}

type Answer = { status: number; body: Record<string, unknown> };
const run = (page: Page, step: string) => page.evaluate<Answer>(`flow.${step}()`);

describe('AAL3 step-up with a passkey in headless Chromium', () => {
  it('enrols a passkey, passes the admin grant with it, and is refused after max age', async () => {
    const page = await pageWithPasskeyDevice();
    try {
      expect((await run(page, 'login')).status).toBe(200);
      const enrolled = await run(page, 'enrol');
      expect(enrolled).toMatchObject({
        status: 201,
        body: { deviceType: 'singleDevice', attested: true, maxAal: 3 },
      });

      const refused = await run(page, 'grant');
      expect(refused).toMatchObject({ status: 401, body: { error: 'step_up_required', aal: 3 } });

      const stepped = await run(page, 'stepUp');
      expect(stepped).toMatchObject({ status: 200, body: { satisfied: true, aal: 3 } });
      expect(await run(page, 'grant')).toMatchObject({ status: 200, body: { granted: true } });

      clock.set(clock.now() + 300_001); // admin_role_grant: AAL3 within 5 minutes
      expect(await run(page, 'grant')).toMatchObject({
        status: 401,
        body: { error: 'step_up_required', reason: 'stale' },
      });
    } finally {
      await page.context().close();
    }
  });
});
