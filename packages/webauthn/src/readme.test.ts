// The README's example, run. The region below is copied verbatim into README.md; the last test
// fails when the two drift apart.
import { readFileSync } from 'node:fs';
import { MemoryStore } from '@checkpoint/core';
import { type AuthState, addFactor, ENTERPRISE_PRESET, evaluate } from '@checkpoint/policy';
import { describe, expect, it } from 'vitest';
import { createWebAuthn, MemoryCredentialRepository } from './index.js';
import { SoftwareAuthenticator } from './testing/index.js';

// #region readme
const webauthn = createWebAuthn({
  rpID: 'console.acme.example',
  rpName: 'Acme Console',
  origins: ['https://console.acme.example'],
  store: new MemoryStore(), // a RedisStore when more than one process serves the app
  credentials: new MemoryCredentialRepository(), // your database
});

// Stands in for the browser: startRegistration() / startAuthentication() of @simplewebauthn/browser.
const browser = new SoftwareAuthenticator({ origin: 'https://console.acme.example' });

// Registration: options to the browser, its response back. The new credential is stored.
const creation = await webauthn.registrationOptions({
  userId: 'u_42',
  userName: 'ada@acme.example',
});
const credential = await webauthn.verifyRegistration({
  userId: 'u_42',
  response: browser.register(creation),
});

// Step-up before an admin role grant, for a tenant that demands AAL3 there.
const request = await webauthn.authenticationOptions({ userId: 'u_42' });
const { factor } = await webauthn.verifyAuthentication({
  userId: 'u_42',
  response: browser.authenticate(request),
});
let state: AuthState = { userId: 'u_42', tenantId: 'bigcorp', factors: [] };
state = addFactor(state, factor);
const tenant = { id: 'bigcorp', stepUp: { ...ENTERPRISE_PRESET } };
const grant = evaluate('admin_role_grant', state, tenant, Date.now());
// { satisfied: true, checkpoint: 'admin_role_grant', aal: 3, nonNist: false }
// #endregion readme

describe('the README example', () => {
  it('registers a device-bound credential', () => {
    expect(credential).toMatchObject({ userId: 'u_42', deviceType: 'singleDevice', counter: 0 });
  });

  it('steps the user up to AAL3 for the enterprise admin role grant', () => {
    expect(factor).toMatchObject({ method: 'webauthn', aal: 3, source: credential.id });
    expect(grant).toEqual({
      satisfied: true,
      checkpoint: 'admin_role_grant',
      aal: 3,
      nonNist: false,
    });
  });

  it('is the code shown in README.md', () => {
    const source = readFileSync(new URL(import.meta.url), 'utf8');
    const region = source.split('// #region readme\n')[1]?.split('// #endregion readme')[0] ?? '';
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(region.length).toBeGreaterThan(500);
    expect(readme).toContain(`from '@checkpoint/webauthn/testing';\n\n${region}\`\`\`\n`);
  });
});
