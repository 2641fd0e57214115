// Every built-in checkpoint x every single factor and meaningful pair x the freshness boundary.
// Expectations come from scenarios.fixture.ts, worked out by hand, not from the code under test.
import { describe, expect, it } from 'vitest';
import type { AuthState } from './AuthState.js';
import { CHECKPOINTS, type CheckpointName } from './catalogue.js';
import { evaluate, type Evaluation } from './evaluate.js';
import { type Factor, factor, type Method } from './Factor.js';
import { resolveCheckpoint } from './resolveCheckpoint.js';
import {
  type Group,
  IDP,
  NOW,
  RESET_ALL,
  SCENARIOS,
  type Scenario,
  SIGNUP_ALL,
} from './scenarios.fixture.js';

const GROUP: Record<CheckpointName, Group> = {
  login: 'login',
  signup: 'signup',
  password_reset: 'reset',
  admin_role_grant: 'sensitive',
  billing_change: 'sensitive',
  api_key_create: 'sensitive',
  audit_log_access: 'sensitive',
  data_export: 'sensitive',
  contact_change: 'sensitive',
  // The same methods as login (recovery codes included, so a recovered user can bind a new app).
  factor_change: 'login',
};

/** What a step-up offers when nothing fresh is held (a held IdP login can be repeated at the IdP). */
function noneFresh(group: Group, scenario: Scenario): Method[] {
  if (group === 'signup') return SIGNUP_ALL;
  if (group === 'reset') return RESET_ALL;
  return scenario.ssoStepUp === true ? ['webauthn', 'sso'] : ['webauthn'];
}

type Timing = 'fresh' | 'exactly maxAge old' | 'maxAge + 1 ms old' | 'from the future';
const TIMINGS: Timing[] = ['fresh', 'exactly maxAge old', 'maxAge + 1 ms old', 'from the future'];

function atFor(timing: Timing, maxAgeSeconds: number): number {
  switch (timing) {
    case 'fresh':
      return NOW - 1_000;
    case 'exactly maxAge old':
      return NOW - maxAgeSeconds * 1000;
    case 'maxAge + 1 ms old':
      return NOW - maxAgeSeconds * 1000 - 1;
    case 'from the future':
      return NOW + 1;
  }
}

function expected(name: CheckpointName, scenario: Scenario, timing: Timing): Evaluation {
  const checkpoint = CHECKPOINTS[name];
  const group = GROUP[name];
  const fresh = scenario.expect[group];
  const counts = timing === 'fresh' || timing === 'exactly maxAge old';
  if (counts && 'ok' in fresh) {
    return { satisfied: true, checkpoint: name, aal: fresh.ok, nonNist: fresh.nonNist };
  }
  const unsatisfied = {
    satisfied: false as const,
    checkpoint: name,
    requiredAal: checkpoint.aal,
    maxAgeSeconds: checkpoint.maxAgeSeconds,
    phishingResistant: false,
  };
  if ('need' in fresh && counts) {
    return { ...unsatisfied, ...fresh.need, reason: 'insufficient_aal' };
  }
  const reason = timing === 'maxAge + 1 ms old' && 'ok' in fresh ? 'stale' : 'insufficient_aal';
  return { ...unsatisfied, currentAal: 0, methods: noneFresh(group, scenario), reason };
}

/** A real factor of `method` used now, as a user stepping up would present it. */
function stepUp(method: Method, aal: number, held: readonly Factor[]): Factor {
  switch (method) {
    case 'webauthn':
      return factor('webauthn', { at: NOW, userVerified: true, deviceBound: aal === 3 });
    case 'sso':
      return factor('sso', {
        at: NOW,
        source: held.find((f) => f.method === 'sso')?.source ?? IDP,
        acr: 'phrh',
      });
    case 'pwd':
      return factor('pwd', { at: NOW });
    default:
      return factor(method, { at: NOW, codeLength: 6 });
  }
}

const NAMES = Object.keys(CHECKPOINTS) as CheckpointName[];
const ROWS = NAMES.flatMap((name) =>
  SCENARIOS.flatMap((scenario) =>
    TIMINGS.map((timing) => [name, scenario.name, timing, scenario] as const),
  ),
);

describe('evaluate over the catalogue', () => {
  it.each(ROWS)('%s with %s (%s) gives the expected outcome', (name, _label, timing, scenario) => {
    const at = atFor(timing, CHECKPOINTS[name].maxAgeSeconds);
    const state: AuthState = {
      userId: 'u_42',
      tenantId: scenario.tenant.id,
      factors: scenario.factors.map((build) => build(at)),
    };
    const result = evaluate(name, state, scenario.tenant, NOW);
    expect(result).toEqual(expected(name, scenario, timing));

    if (result.satisfied) return;
    // The methods list keeps its promise: using a listed method now satisfies the checkpoint,
    // using any other accepted method does not. A user without an IdP login has no IdP to go back to,
    // and a remembered device is recognised at login, never offered as a way to step up.
    const checkpoint = resolveCheckpoint(name, scenario.tenant);
    const hasIdp = state.factors.some((f) => f.method === 'sso');
    const usable = (m: Method) => (m !== 'sso' || hasIdp) && m !== 'remembered-device';
    for (const method of checkpoint.methods.filter(usable)) {
      const added = stepUp(method, checkpoint.aal, state.factors);
      const after = evaluate(
        name,
        { ...state, factors: [...state.factors, added] },
        scenario.tenant,
        NOW,
      );
      expect({ method, satisfied: after.satisfied }).toEqual({
        method,
        satisfied: result.methods.includes(method),
      });
    }
  });
});
