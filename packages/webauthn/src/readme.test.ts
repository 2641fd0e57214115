// The README's example, run. The region below is copied verbatim into README.md; the last test
// fails when the two drift apart.
import { readFileSync } from 'node:fs';
import { MemoryStore } from '@checkpoint/core';
import { type AuthState, addFactor, ENTERPRISE_PRESET, evaluate } from '@checkpoint/policy';
import { describe, expect, it } from 'vitest';
import { createFidoMetadata, createWebAuthn, MemoryCredentialRepository } from './index.js';
import { createTestMetadata, SoftwareAuthenticator } from './testing/index.js';

// #region readme
// Stand-ins for the FIDO Alliance and a security key's maker; in an app, the FIDO BLOB itself:
// createFidoMetadata({ source: { file: '/var/lib/acme/fido-mds.jwt' } }), the FIDO root by default.
const SECURITY_KEY = '2fc0579f-8113-47ea-b116-bb5a8db9202a';
const fido = createTestMetadata({ authenticators: [{ aaguid: SECURITY_KEY }] });
const metadata = createFidoMetadata({
  source: { read: async () => fido.blob() },
  roots: [fido.root.pem],
});
await metadata.refresh(); // at start-up, and then on a schedule: never during a request

// Your help desk's out-of-band approvals of a user's first AAL3 key.
const approvals = new Map([['u_42', { approvedBy: 'it-admin u_7, ticket SEC-1042' }]]);

const webauthn = createWebAuthn({
  rpID: 'console.acme.example',
  rpName: 'Acme Console',
  origins: ['https://console.acme.example'],
  store: new MemoryStore(), // a RedisStore when more than one process serves the app
  credentials: new MemoryCredentialRepository(), // your database
  metadata, // registration now asks for 'direct' attestation and checks it
  approveAal3Enrolment: ({ userId }) => approvals.get(userId),
});

// Stands in for the browser and a hardware security key: startRegistration() /
// startAuthentication() of @simplewebauthn/browser.
const browser = new SoftwareAuthenticator({
  origin: 'https://console.acme.example',
  aaguid: SECURITY_KEY,
  attestation: fido.attestation(SECURITY_KEY),
});

// Registration: options to the browser, its response back. The new credential is stored with
// what its attestation proved (`attested`) and, approved, its AAL3 binding (`aal3`).
const creation = await webauthn.registrationOptions({
  userId: 'u_42',
  userName: 'ada@acme.example',
});
const credential = await webauthn.verifyRegistration({
  userId: 'u_42',
  response: browser.register(creation),
  sessionAal: 2, // password + SMS code: not enough to bind an AAL3 key without the approval
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
  it('registers a device-bound credential whose attestation proved a hardware model, bound at AAL3 by the approval', () => {
    expect(credential).toMatchObject({
      userId: 'u_42',
      deviceType: 'singleDevice',
      counter: 0,
      attested: { format: 'packed', aaguid: SECURITY_KEY, trust: 'metadata' },
      aal3: { approvedBy: 'it-admin u_7, ticket SEC-1042', first: true },
    });
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
