// A remembered browser stands in for the login's second factor, and for nothing else.
import { describe, expect, it } from 'vitest';
import { type AuthState, addFactor } from './AuthState.js';
import { assuranceOf } from './assurance.js';
import { evaluate } from './evaluate.js';
import { factor } from './Factor.js';
import { resolveCheckpoint } from './resolveCheckpoint.js';

const NOW = Date.UTC(2026, 10, 22, 12);
const tenant = { id: 'acme' };
const device = factor('remembered-device', { at: NOW, source: 'dev_1' });
const password = factor('pwd', { at: NOW });
let state: AuthState = { userId: 'u_42', tenantId: 'acme', factors: [] };
state = addFactor(addFactor(state, password), device);

describe("the 'remembered-device' method", () => {
  it('completes the login with a password, marked outside NIST', () => {
    expect(evaluate('login', state, tenant, NOW)).toEqual({
      satisfied: true,
      checkpoint: 'login',
      aal: 2,
      nonNist: true,
    });
    expect(device.amr).toEqual([]);
  });

  it('never satisfies a step-up checkpoint, however fresh', () => {
    for (const name of ['billing_change', 'contact_change', 'factor_change', 'data_export']) {
      expect(evaluate(name, state, tenant, NOW)).toMatchObject({ satisfied: false, currentAal: 1 });
    }
  });

  it('is never offered as a way to step up', () => {
    const result = evaluate('login', { ...state, factors: [password] }, tenant, NOW);
    expect(result.satisfied).toBe(false);
    expect(result.satisfied ? [] : result.methods).not.toContain('remembered-device');
  });

  it('cannot be added to any checkpoint but login', () => {
    expect(() =>
      resolveCheckpoint('billing_change', {
        id: 'acme',
        stepUp: { billing_change: { methods: ['remembered-device', 'pwd'] } },
      }),
    ).toThrow(/only for the login checkpoint/);
  });

  it('counts toward AAL2 with a password and never toward AAL3', () => {
    expect(assuranceOf(state.factors, tenant).aal).toBe(2);
  });
});

describe("the 'recovery-code' method", () => {
  const recovered = addFactor(
    { userId: 'u_42', tenantId: 'acme', factors: [password] },
    factor('recovery-code', { at: NOW, codeLength: 10 }),
  );

  it('satisfies login and factor_change (to bind a new app) with a password', () => {
    expect(evaluate('login', recovered, tenant, NOW)).toMatchObject({ satisfied: true, aal: 2 });
    expect(evaluate('factor_change', recovered, tenant, NOW)).toMatchObject({ satisfied: true });
  });

  it('never satisfies an AAL3 checkpoint, even one that lists it', () => {
    const strict = {
      id: 'acme',
      stepUp: {
        vault: {
          aal: 3 as const,
          maxAgeSeconds: 300,
          methods: ['webauthn' as const, 'pwd' as const, 'recovery-code' as const],
        },
      },
    };
    expect(evaluate('vault', recovered, strict, NOW)).toMatchObject({
      satisfied: false,
      currentAal: 2,
    });
  });
});
