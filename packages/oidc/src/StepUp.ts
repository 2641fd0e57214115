import type { AmrCondition } from '@checkpoint/policy';

/**
 * What a step-up at the IdP demands, and how it is asked. Each kind of demand given must be met
 * by what comes back, whatever the IdP did with the request:
 * - `acrValues`: sent as `acr_values` (and an essential `acr` claim where the IdP takes the
 *   `claims` parameter); the returned `acr` must be one of them.
 * - `acrs`: Microsoft Entra authentication contexts, sent as an essential `acrs` claim (needs the
 *   `claims` parameter); the returned `acrs` must hold one of them.
 * - `amr`: nothing to send (no standard parameter asks for methods); the returned `amr` must meet
 *   one of the conditions.
 * - `maxAge`: sent as `max_age`; the returned `auth_time` must be present and at most this old.
 * - `prompt: 'login'`: sent as `prompt=login`, a fresh interactive login at the IdP.
 *
 * @example const stepUp: StepUp = { acrValues: ['urn:acme:mfa'], maxAge: 300 };
 * @see RFC 9470 §3–§4; OpenID Connect Core 1.0 §3.1.2.1 (acr_values, max_age, prompt), §5.5.1
 */
export interface StepUp {
  /** Acceptable `acr` values, in order of preference; the returned `acr` must be one of them. */
  acrValues?: readonly string[];
  /** Authentication context ids (`c1`…) asked for as essential; the `acrs` claim must hold one. */
  acrs?: readonly string[];
  /** Conditions on the returned `amr`, any one of which must be met. */
  amr?: readonly AmrCondition[];
  /** Seconds; the returned `auth_time` must be present and at most this old. 0 forces a new login. */
  maxAge?: number;
  /** `'login'`: the IdP must authenticate the user afresh, not reuse its session. */
  prompt?: 'login';
}

const WORD = (value: unknown): value is string =>
  typeof value === 'string' && value !== '' && !/\s/.test(value);

/** @internal Checks a StepUp given to start() or to the passport helpers. */
export function checkStepUp(stepUp: unknown): StepUp | undefined {
  if (stepUp === undefined) return undefined;
  if (typeof stepUp !== 'object' || stepUp === null) {
    throw new TypeError(
      "stepUp must be { acrValues?: string[], acrs?: string[], amr?: [{ allOf?, anyOf? }], maxAge?: seconds, prompt?: 'login' }",
    );
  }
  const { acrValues, acrs, amr, maxAge, prompt } = stepUp as Record<string, unknown>;
  if (acrValues !== undefined && !(Array.isArray(acrValues) && acrValues.every(WORD))) {
    throw new TypeError('stepUp.acrValues must be an array of acr values (strings without spaces)');
  }
  if (acrs !== undefined && !(Array.isArray(acrs) && acrs.every(WORD))) {
    throw new TypeError(
      "stepUp.acrs must be an array of authentication context ids such as ['c1']",
    );
  }
  if (amr !== undefined) {
    if (!Array.isArray(amr) || !amr.every(isAmrCondition)) {
      throw new TypeError(
        "stepUp.amr must be an array of conditions such as { allOf: ['mfa'] } or { allOf: ['hwk'], anyOf: ['pin', 'fpt'] }",
      );
    }
  }
  if (maxAge !== undefined && !(Number.isInteger(maxAge) && (maxAge as number) >= 0)) {
    throw new TypeError('stepUp.maxAge must be a whole number of seconds, 0 or more');
  }
  if (prompt !== undefined && prompt !== 'login') {
    throw new TypeError("stepUp.prompt can only be 'login'");
  }
  return stepUp;
}

/** A condition that some amr claim can meet and not every one does. */
function isAmrCondition(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const { allOf, anyOf } = value as Record<string, unknown>;
  const words = (list: unknown): list is string[] | undefined =>
    list === undefined || (Array.isArray(list) && list.every(WORD));
  if (!words(allOf) || !words(anyOf)) return false;
  return anyOf === undefined ? (allOf ?? []).length > 0 : anyOf.length > 0;
}
