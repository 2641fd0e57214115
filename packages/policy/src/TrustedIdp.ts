import type { Aal } from './Factor.js';
import { isAal, isRecord, shown } from './guards.js';

/**
 * A condition on an IdP's `amr` claim: every value of `allOf` is in it, and at least one of
 * `anyOf`. At least one of the two lists is given.
 *
 * @example const hardwareKeyWithPin: AmrCondition = { allOf: ['hwk'], anyOf: ['pin', 'fpt', 'face'] };
 * @see RFC 8176 §2 (amr values)
 */
export interface AmrCondition {
  /** Values that must all be in the `amr` claim. */
  allOf?: readonly string[];
  /** Values of which at least one must be in the `amr` claim. */
  anyOf?: readonly string[];
}

/**
 * An {@link AmrCondition} and the AAL a login meeting it stands for. AAL3 only for a condition
 * that every login meeting it proves with a hardware key and user verification: `hwk` and one of
 * `pin`, `fpt`, `face`, `iris`, `retina`, `vbm` (any other rule mapped to 3 is a TypeError).
 *
 * @example const mfa: AmrRule = { allOf: ['mfa'], aal: 2 };
 * @see RFC 8176 §2; NIST SP 800-63B rev 4 §2.3.1 (AAL3: a phishing-resistant, hardware-bound key)
 */
export interface AmrRule extends AmrCondition {
  aal: Aal;
}

/**
 * An enterprise IdP whose assertions a tenant trusts, and how: by its `acr` values, by sets of
 * `amr` values, by Microsoft Entra authentication contexts (`acrs`), or any mix of the three. A
 * login counts at the strongest level any of them gives; anything they do not name counts as the
 * weakest method. The issuer is matched exactly against the sso factor's `source` (the `iss`).
 *
 * @example
 * const okta: TrustedIdp = {
 *   issuer: 'https://acme.okta.com/oauth2/default',
 *   acr: { 'urn:okta:loa:2fa:any': 2, phrh: 3 },
 *   amr: [{ allOf: ['mfa'], aal: 2 }, { allOf: ['hwk'], anyOf: ['pin', 'fpt'], aal: 3 }],
 * };
 * @see OWASP ASVS 5 V6.8.4 (acr/amr/auth_time), V10.5.3 (exact issuer); OpenID Connect EAP ACR Values 1.0; RFC 8176
 */
export interface TrustedIdp {
  issuer: string;
  /** acr value -> AAL it stands for. An acr mapped to 3 reaches AAL3 only when it is 'phrh', otherwise 2. */
  acr?: Readonly<Record<string, Aal>>;
  /** amr rules; a login meeting several counts at the strongest. */
  amr?: readonly AmrRule[];
  /**
   * Microsoft Entra authentication context id (`c1`…) -> AAL 1 or 2. A context counts only when
   * the login asked for it (it is then enforced by Conditional Access) and the `acrs` claim holds
   * it. A context id names a policy, not how it was met, so it never counts as phishing-resistant.
   */
  acrs?: Readonly<Record<string, 1 | 2>>;
}

/**
 * @internal RFC 8176 values that say the user was verified on the authenticator (a PIN or a
 * biometric): with `hwk`, the multi-factor hardware key AAL3 asks for.
 */
export const USER_VERIFICATION_AMR: ReadonlySet<string> = new Set([
  'pin',
  'fpt',
  'face',
  'iris',
  'retina',
  'vbm',
]);

/** @internal The smallest amr sets that meet `condition`: allOf plus each anyOf value. */
export function minimalAmrSets(condition: AmrCondition): string[][] {
  const allOf = [...(condition.allOf ?? [])];
  const anyOf = condition.anyOf ?? [];
  return anyOf.length === 0 ? [allOf] : anyOf.map((value) => [...allOf, value]);
}

/**
 * @internal True when every login meeting `condition` used a hardware-secured key with user
 * verification (`hwk` + a PIN or biometric): the amr reading of a phishing-resistant,
 * hardware-bound authenticator, the only amr rule that may stand for AAL3.
 */
export function provesHardwareKeyWithUv(condition: AmrCondition): boolean {
  return minimalAmrSets(condition).every(
    (set) => set.includes('hwk') && set.some((value) => USER_VERIFICATION_AMR.has(value)),
  );
}

/** @internal Throws a TypeError that says what to pass unless `value` is a list of TrustedIdp. */
export function checkTrustedIdps(value: unknown): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) {
    throw new TypeError(
      "tenant.trustedIdps must be an array of { issuer, acr?, amr?, acrs? } such as { issuer, acr: { 'urn:…': 2 } }",
    );
  }
  const issuers = new Set<string>();
  (value as unknown[]).forEach((idp, index) => {
    const what = `tenant.trustedIdps[${index}]`;
    if (!isRecord(idp) || typeof idp.issuer !== 'string' || idp.issuer === '') {
      throw new TypeError(
        `${what} must be { issuer: 'https://…', acr?, amr?, acrs? } with the IdP's exact issuer`,
      );
    }
    if (issuers.has(idp.issuer)) {
      throw new TypeError(`${what} repeats the issuer ${shown(idp.issuer)}; list each IdP once`);
    }
    issuers.add(idp.issuer);
    if (idp.acr === undefined && idp.amr === undefined && idp.acrs === undefined) {
      throw new TypeError(
        `${what} must say what to trust: acr: { 'urn:idp:mfa': 2 }, amr: [{ allOf: ['mfa'], aal: 2 }] or acrs: { c1: 2 }`,
      );
    }
    if (idp.acr !== undefined) checkAcr(idp.acr, `${what}.acr`);
    if (idp.amr !== undefined) checkAmrRules(idp.amr, `${what}.amr`);
    if (idp.acrs !== undefined) checkAcrs(idp.acrs, `${what}.acrs`);
  });
}

function checkAcr(acr: unknown, what: string): void {
  if (!isRecord(acr)) {
    throw new TypeError(`${what} must map acr values to AALs, e.g. { 'urn:idp:mfa': 2 }`);
  }
  for (const [value, aal] of Object.entries(acr)) {
    if (!isAal(aal)) {
      throw new TypeError(`${what}[${shown(value)}] must be 1, 2 or 3 (an AAL), got ${shown(aal)}`);
    }
  }
}

function checkAcrs(acrs: unknown, what: string): void {
  if (!isRecord(acrs)) {
    throw new TypeError(`${what} must map authentication context ids to AALs, e.g. { c1: 2 }`);
  }
  for (const [id, aal] of Object.entries(acrs)) {
    if (id === '' || /\s/.test(id)) {
      throw new TypeError(`${what} has ${shown(id)}: a context id is one word such as 'c1'`);
    }
    if (aal === 3) {
      throw new TypeError(
        `${what}[${shown(id)}] cannot be 3: a context id names a Conditional Access policy, not a phishing-resistant authenticator; map it to 1 or 2`,
      );
    }
    if (aal !== 1 && aal !== 2) {
      throw new TypeError(`${what}[${shown(id)}] must be 1 or 2 (an AAL), got ${shown(aal)}`);
    }
  }
}

function checkAmrRules(rules: unknown, what: string): void {
  if (!Array.isArray(rules)) {
    throw new TypeError(`${what} must be an array of rules such as [{ allOf: ['mfa'], aal: 2 }]`);
  }
  (rules as unknown[]).forEach((rule, index) => {
    const at = `${what}[${index}]`;
    if (!isRecord(rule)) {
      throw new TypeError(`${at} must be a rule such as { allOf: ['mfa'], aal: 2 }`);
    }
    for (const key of Object.keys(rule)) {
      if (!['allOf', 'anyOf', 'aal'].includes(key)) {
        throw new TypeError(`${at} has an unknown field ${shown(key)}; pass allOf, anyOf and aal`);
      }
    }
    checkAmrCondition(rule, at);
    if (!isAal(rule.aal)) {
      throw new TypeError(`${at}.aal must be 1, 2 or 3 (an AAL), got ${shown(rule.aal)}`);
    }
    if (rule.aal === 3 && !provesHardwareKeyWithUv(rule)) {
      throw new TypeError(
        `${at} maps to AAL3, which an amr rule reaches only when every login it accepts used 'hwk' with one of ${[...USER_VERIFICATION_AMR].join(', ')} (a hardware key with user verification); map it to 2 or require them`,
      );
    }
  });
}

/**
 * @internal Throws a TypeError unless `condition` has an `allOf` and/or a non-empty `anyOf` of
 * amr values (single words). Other fields are not looked at.
 */
export function checkAmrCondition(condition: unknown, what: string): AmrCondition {
  if (!isRecord(condition)) {
    throw new TypeError(`${what} must be { allOf?: string[], anyOf?: string[] }`);
  }
  for (const key of ['allOf', 'anyOf'] as const) {
    const list = condition[key];
    if (list === undefined) continue;
    if (
      !Array.isArray(list) ||
      !list.every((v) => typeof v === 'string' && v !== '' && !/\s/.test(v))
    ) {
      throw new TypeError(`${what}.${key} must be an array of amr values such as ['mfa']`);
    }
  }
  const allOf = condition.allOf as string[] | undefined;
  const anyOf = condition.anyOf as string[] | undefined;
  if (anyOf !== undefined && anyOf.length === 0) {
    throw new TypeError(`${what}.anyOf is empty, so no login would meet it; leave it out`);
  }
  if ((allOf ?? []).length === 0 && anyOf === undefined) {
    throw new TypeError(
      `${what} needs allOf or anyOf: a rule without amr values would accept every login`,
    );
  }
  return condition;
}
