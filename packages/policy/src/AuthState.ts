import { type Factor, isMethod } from './Factor.js';
import { isRecord } from './guards.js';

/**
 * What a session knows about how its user authenticated: kept in `req.session`, plain JSON.
 *
 * @example const state: AuthState = { userId: 'u_42', tenantId: 'acme', factors: [] };
 * @see NIST SP 800-63B rev 4 §5 (session management)
 */
export interface AuthState {
  userId: string;
  tenantId: string;
  factors: readonly Factor[];
}

/**
 * Most factors {@link addFactor} keeps, so a session cannot grow without bound.
 *
 * @example state.factors.length <= MAX_FACTORS; // true after addFactor
 * @see NIST SP 800-63B rev 4 §5.1 (session state)
 */
export const MAX_FACTORS = 16;

/**
 * Returns a new AuthState with `added` recorded; the given state is not changed.
 *
 * A factor with the same method and evidence as one already held (the same authenticator used
 * again) replaces the older entry, so repeated step-ups do not grow the session; at most
 * {@link MAX_FACTORS} are kept, the earliest added dropped first.
 *
 * @example state = addFactor(state, factor('otp-sms', { at: now, codeLength: 6 }));
 * @see NIST SP 800-63B rev 4 §5.2 (reauthentication); OWASP ASVS 5 V7.2.4 (regenerate the session id after it)
 */
export function addFactor(state: AuthState, added: Factor): AuthState {
  // Checked as unknown: callers pass session JSON, and narrowing the typed values would widen them.
  const given: unknown = state;
  const factor: unknown = added;
  if (!isRecord(given) || !Array.isArray(given.factors)) {
    throw new TypeError(
      'addFactor(state, factor) needs an AuthState: { userId, tenantId, factors: [] }',
    );
  }
  if (!isRecord(factor) || !isMethod(factor.method) || !Number.isFinite(factor.at)) {
    throw new TypeError(
      'addFactor(state, factor) needs a Factor built with factor(method, evidence)',
    );
  }
  // The same authenticator seen at the same time or later already says everything `added` says.
  if (state.factors.some((held) => sameAuthenticator(held, added) && held.at >= added.at)) {
    return { ...state, factors: [...state.factors] };
  }
  const kept = state.factors.filter((held) => !sameAuthenticator(held, added));
  return { ...state, factors: [...kept, added].slice(-MAX_FACTORS) };
}

function sameAuthenticator(a: Factor, b: Factor): boolean {
  return (
    a.method === b.method &&
    a.source === b.source &&
    a.codeLength === b.codeLength &&
    a.userVerified === b.userVerified &&
    a.deviceBound === b.deviceBound &&
    a.acr === b.acr &&
    JSON.stringify(a.amr) === JSON.stringify(b.amr) &&
    JSON.stringify(a.acrs) === JSON.stringify(b.acrs)
  );
}
