import { isRecord, shown } from './guards.js';

/**
 * How a user proved something: a password, a one-time code over a channel, an authenticator app,
 * a WebAuthn credential, an enterprise IdP's assertion, or a saved recovery code.
 *
 * @example const method: Method = 'otp-sms';
 * @see NIST SP 800-63B rev 4 §3.1 (authenticator types)
 */
export type Method =
  | 'pwd'
  | 'otp-sms'
  | 'otp-voice'
  | 'otp-whatsapp'
  | 'otp-email'
  | 'totp'
  | 'webauthn'
  | 'sso'
  | 'recovery-code'
  | 'remembered-device';

/**
 * An authentication assurance level. AAL 0 (nothing proven) only appears in results.
 *
 * @example const required: Aal = 2;
 * @see NIST SP 800-63B rev 4 §2 (authentication assurance levels)
 */
export type Aal = 1 | 2 | 3;

/**
 * Every {@link Method}, in the order this package lists them.
 *
 * @example METHODS.includes('totp'); // true
 * @see NIST SP 800-63B rev 4 §3.1
 */
export const METHODS: readonly Method[] = Object.freeze([
  'pwd',
  'otp-sms',
  'otp-voice',
  'otp-whatsapp',
  'otp-email',
  'totp',
  'webauthn',
  'sso',
  'recovery-code',
  'remembered-device',
]);

/**
 * True when `value` is one of the {@link METHODS}.
 *
 * @example isMethod('otp-sms'); // true
 * @see NIST SP 800-63B rev 4 §3.1
 */
export function isMethod(value: unknown): value is Method {
  return typeof value === 'string' && (METHODS as readonly string[]).includes(value);
}

/**
 * One authentication event held in an {@link AuthState}: what was used, when, and the evidence the
 * assurance rules read. Build it with {@link factor}; {@link assuranceOf} recomputes assurance from
 * `method` and the evidence fields and never trusts `aal` or `amr` as stored.
 *
 * @example const f: Factor = factor('pwd', { at: now });
 * @see RFC 8176 (amr values); NIST SP 800-63B rev 4 §2
 */
export interface Factor {
  method: Method;
  /** RFC 8176 Authentication Method Reference values, for logs, tokens and audit. */
  amr: readonly string[];
  /** The AAL this factor reaches on its own, without a tenant (an IdP assertion: 1). Informative. */
  aal: Aal;
  /** Epoch milliseconds of the authentication event (for SSO: the IdP's `auth_time` × 1000). */
  at: number;
  /** Where it came from: the IdP issuer (sso), a credential id, a masked destination. */
  source?: string;
  /** Digits of the code (otp-*, totp, recovery-code). Below 6 never counts toward AAL2. */
  codeLength?: number;
  /** webauthn: the authenticator verified the user (UV flag: PIN or biometric). */
  userVerified?: boolean;
  /** webauthn: the key cannot leave the device (`credentialDeviceType === 'singleDevice'`). */
  deviceBound?: boolean;
  /** sso: the `acr` claim of the IdP's ID token. */
  acr?: string;
  /**
   * sso: the Microsoft Entra authentication contexts (`acrs` claim) the login asked for and met;
   * a context the IdP added unasked is not kept (see @checkpoint/oidc).
   */
  acrs?: readonly string[];
}

/**
 * What {@link factor} needs besides the method: the time of the event and the evidence that
 * applies to the method. Fields that do not apply to the method are refused.
 *
 * @example const evidence: FactorEvidence = { at: now, userVerified: true, deviceBound: false };
 * @see RFC 8176; NIST SP 800-63B rev 4 §3.1
 */
export interface FactorEvidence {
  at: number;
  source?: string;
  codeLength?: number;
  userVerified?: boolean;
  deviceBound?: boolean;
  acr?: string;
  /** sso only: the IdP's `amr` claim, copied as given. */
  amr?: readonly string[];
  /** sso only: the authentication contexts asked for that the `acrs` claim holds. */
  acrs?: readonly string[];
}

const CODE_METHODS: readonly Method[] = [
  'otp-sms',
  'otp-voice',
  'otp-whatsapp',
  'otp-email',
  'totp',
  'recovery-code',
];

const APPLIES: Record<Exclude<keyof FactorEvidence, 'at' | 'source'>, (m: Method) => boolean> = {
  codeLength: (method) => CODE_METHODS.includes(method),
  userVerified: (method) => method === 'webauthn',
  deviceBound: (method) => method === 'webauthn',
  acr: (method) => method === 'sso',
  amr: (method) => method === 'sso',
  acrs: (method) => method === 'sso',
};

/**
 * Builds a {@link Factor} with its RFC 8176 `amr` values and the AAL it reaches on its own.
 *
 * amr choices: `otp-sms` is `['sms']` only (RFC 8176 `otp` names RFC 4226/6238 generators, and an
 * SMS code is a confirmation to a registered number, which is what `sms` says); `otp-voice` is
 * `['tel']`; WhatsApp and email codes have no registered value, so they are `['otp', 'mca']`, never
 * `sms`; `recovery-code` is `['otp']` (a single-use saved secret; `kba` would claim a knowledge
 * question, which NIST forbids); webauthn is `hwk` (device-bound) or `swk` (synced), `pop`,
 * `user`, and `mfa` when the user was verified; sso carries the IdP's `amr` as given.
 *
 * @example factor('webauthn', { at: now, userVerified: true, deviceBound: true }).aal; // 3
 * @see RFC 8176 §2 (amr values); NIST SP 800-63B rev 4 §2.2, §2.3
 */
export function factor(method: Method, evidence: FactorEvidence): Factor {
  if (!isMethod(method)) {
    throw new TypeError(
      `factor() needs a method, one of ${METHODS.join(', ')}; got ${shown(method)}`,
    );
  }
  if (!isRecord(evidence)) {
    throw new TypeError(
      `factor('${method}', evidence) needs an evidence object such as { at: now }`,
    );
  }
  const { at, source, codeLength, userVerified, deviceBound, acr, amr, acrs } = evidence;
  if (typeof at !== 'number' || !Number.isFinite(at)) {
    throw new TypeError(
      `factor('${method}') needs evidence.at: the epoch milliseconds of the authentication event, got ${shown(at)}`,
    );
  }
  for (const key of Object.keys(evidence)) {
    if (key === 'at' || key === 'source') continue;
    const applies = APPLIES[key as keyof typeof APPLIES];
    if (applies === undefined) {
      throw new TypeError(
        `factor('${method}') got an unknown evidence field ${shown(key)}; pass at, source, codeLength, userVerified, deviceBound, acr, amr or acrs`,
      );
    }
    if (evidence[key as keyof FactorEvidence] !== undefined && !applies(method)) {
      throw new TypeError(`factor('${method}') does not take evidence.${key}`);
    }
  }
  if (source !== undefined && typeof source !== 'string') {
    throw new TypeError(`factor('${method}') needs evidence.source to be a string`);
  }
  if (codeLength !== undefined && (!Number.isInteger(codeLength) || codeLength < 1)) {
    throw new TypeError(
      `factor('${method}') needs evidence.codeLength to be the number of digits, got ${shown(codeLength)}`,
    );
  }
  for (const [key, value] of [
    ['userVerified', userVerified],
    ['deviceBound', deviceBound],
  ] as const) {
    if (value !== undefined && typeof value !== 'boolean') {
      throw new TypeError(`factor('${method}') needs evidence.${key} to be true or false`);
    }
  }
  if (acr !== undefined && typeof acr !== 'string') {
    throw new TypeError(`factor('sso') needs evidence.acr to be the acr claim, a string`);
  }
  if (amr !== undefined && !(Array.isArray(amr) && amr.every((v) => typeof v === 'string'))) {
    throw new TypeError(
      `factor('sso') needs evidence.amr to be the amr claim, an array of strings`,
    );
  }
  if (acrs !== undefined && !(Array.isArray(acrs) && acrs.every((v) => typeof v === 'string'))) {
    throw new TypeError(
      `factor('sso') needs evidence.acrs to be authentication context ids, an array of strings`,
    );
  }

  const built: Factor = {
    method,
    amr: amrOf(method, evidence),
    aal: method === 'webauthn' && userVerified === true ? (deviceBound === true ? 3 : 2) : 1,
    at,
  };
  if (source !== undefined) built.source = source;
  if (codeLength !== undefined) built.codeLength = codeLength;
  if (userVerified !== undefined) built.userVerified = userVerified;
  if (deviceBound !== undefined) built.deviceBound = deviceBound;
  if (acr !== undefined) built.acr = acr;
  if (acrs !== undefined) built.acrs = [...acrs];
  return built;
}

function amrOf(method: Method, evidence: FactorEvidence): string[] {
  switch (method) {
    case 'pwd':
      return ['pwd'];
    case 'otp-sms':
      return ['sms'];
    case 'otp-voice':
      return ['tel'];
    case 'otp-whatsapp':
    case 'otp-email':
      return ['otp', 'mca'];
    case 'totp':
    case 'recovery-code':
      return ['otp'];
    case 'webauthn':
      return [
        evidence.deviceBound === true ? 'hwk' : 'swk',
        'pop',
        'user',
        ...(evidence.userVerified === true ? ['mfa'] : []),
      ];
    case 'sso':
      return [...(evidence.amr ?? [])];
    case 'remembered-device':
      // RFC 8176 registers nothing for a signed device cookie; claiming `pop` or `hwk` would lie.
      return [];
  }
}
