// The README's example, run. The region below is copied verbatim into README.md; the last test
// fails when the two drift apart.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type AuthState, addFactor, evaluate, factor, type TenantPolicy } from './index.js';

// #region readme
const tenant: TenantPolicy = { id: 'acme' };
const now = Date.UTC(2026, 10, 22, 12); // in an app: clock.now()
const twoHoursAgo = now - 2 * 3_600_000;

// Signed in two hours ago with a password and an SMS code.
let state: AuthState = { userId: 'u_42', tenantId: 'acme', factors: [] };
state = addFactor(state, factor('pwd', { at: twoHoursAgo }));
state = addFactor(state, factor('otp-sms', { at: twoHoursAgo, codeLength: 6 }));

const login = evaluate('login', state, tenant, now);
// { satisfied: true, checkpoint: 'login', aal: 2, nonNist: false }

const billing = evaluate('billing_change', state, tenant, now);
// { satisfied: false, checkpoint: 'billing_change', requiredAal: 2, currentAal: 0,
//   maxAgeSeconds: 300, phishingResistant: false, methods: ['webauthn'], reason: 'stale' }

// A passkey alone would do; without one, the user re-enters the password first ...
state = addFactor(state, factor('pwd', { at: now }));
const afterPassword = evaluate('billing_change', state, tenant, now);
// { satisfied: false, …, currentAal: 1,
//   methods: ['webauthn', 'totp', 'otp-whatsapp', 'otp-sms', 'otp-voice'], reason: 'stale' }

// ... then a fresh SMS code completes the step-up.
state = addFactor(state, factor('otp-sms', { at: now, codeLength: 6 }));
const afterSms = evaluate('billing_change', state, tenant, now);
// { satisfied: true, checkpoint: 'billing_change', aal: 2, nonNist: false }
// #endregion readme

describe('the README example', () => {
  it('finds the two-hour-old password and SMS code enough for login', () => {
    expect(login).toEqual({ satisfied: true, checkpoint: 'login', aal: 2, nonNist: false });
  });

  it('asks for a step-up at billing_change because the factors are older than 5 minutes', () => {
    expect(billing).toEqual({
      satisfied: false,
      checkpoint: 'billing_change',
      requiredAal: 2,
      currentAal: 0,
      maxAgeSeconds: 300,
      phishingResistant: false,
      methods: ['webauthn'],
      reason: 'stale',
    });
  });

  it('offers the second factors once the password is fresh, and is satisfied after the SMS code', () => {
    expect(afterPassword).toMatchObject({
      satisfied: false,
      currentAal: 1,
      methods: ['webauthn', 'totp', 'otp-whatsapp', 'otp-sms', 'otp-voice'],
      reason: 'stale',
    });
    expect(afterSms).toEqual({
      satisfied: true,
      checkpoint: 'billing_change',
      aal: 2,
      nonNist: false,
    });
    expect(state.factors).toHaveLength(2);
  });

  it('is the code shown in README.md', () => {
    const source = readFileSync(new URL(import.meta.url), 'utf8');
    const region = source.split('// #region readme\n')[1]?.split('// #endregion readme')[0] ?? '';
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(region.length).toBeGreaterThan(500);
    // The whole code block: the import, then exactly the region, then the closing fence.
    expect(readme).toContain(`from '@checkpoint/policy';\n\n${region}\`\`\`\n`);
  });
});
