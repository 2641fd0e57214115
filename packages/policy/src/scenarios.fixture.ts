// Test fixture: factor sets with the results worked out by hand from NIST SP 800-63B rev 4 and
// the package's documented choices. Not part of the public API (not exported, not published).
import { type Aal, type Factor, factor, type Method } from './Factor.js';
import type { TenantPolicy } from './TenantPolicy.js';

export const NOW = Date.UTC(2026, 10, 22, 12);
export const IDP = 'https://login.acme.example';

/** Trusts the IdP's MFA: acr values mapped to every level, including a 3 that is not 'phrh'. */
export const TRUSTING: TenantPolicy = {
  id: 'acme',
  trustIdpMfa: true,
  trustedIdps: [
    {
      issuer: IDP,
      acr: { 'urn:idp:pwd': 1, 'urn:idp:mfa': 2, 'urn:idp:hw': 3, phr: 2, phrh: 3 },
    },
  ],
};
/** No IdP trust, no email opt-in: the defaults. */
export const PLAIN: TenantPolicy = { id: 'acme' };
/** Counts email codes as a factor (outside NIST). */
export const EMAIL_OPT_IN: TenantPolicy = { id: 'acme', emailOtpCountsAsFactor: true };

type Make = (at: number) => Factor;
const code =
  (method: Method, codeLength: number): Make =>
  (at) =>
    factor(method, { at, codeLength });
const sso =
  (acr: string | undefined, source = IDP): Make =>
  (at) =>
    factor('sso', { at, source, ...(acr === undefined ? {} : { acr }) });
const webauthn =
  (userVerified: boolean, deviceBound: boolean): Make =>
  (at) =>
    factor('webauthn', { at, userVerified, deviceBound });

export const make = {
  pwd: (at: number) => factor('pwd', { at }),
  sms: code('otp-sms', 6),
  sms4: code('otp-sms', 4),
  sms5: code('otp-sms', 5),
  voice: code('otp-voice', 6),
  whatsapp: code('otp-whatsapp', 6),
  email: code('otp-email', 6),
  email4: code('otp-email', 4),
  totp: code('totp', 6),
  recovery: (at: number) => factor('recovery-code', { at }),
  passkeyBound: webauthn(true, true),
  passkeySynced: webauthn(true, false),
  keyBound: webauthn(false, true),
  keySynced: webauthn(false, false),
  ssoMfa: sso('urn:idp:mfa'),
  ssoPhrh: sso('phrh'),
  ssoPhr: sso('phr'),
  ssoHw: sso('urn:idp:hw'),
  ssoAcr1: sso('urn:idp:pwd'),
  ssoUnknownAcr: sso('urn:idp:other'),
  ssoNoAcr: sso(undefined),
  ssoOtherIssuer: sso('urn:idp:mfa', 'https://evil.example'),
} satisfies Record<string, Make>;

/** Built-in checkpoints with the same expectations: `sensitive` is every AAL2, 5–15 min one. */
export type Group = 'login' | 'sensitive' | 'signup' | 'reset';
export type Expected =
  | { ok: Aal; nonNist: boolean }
  | { need: { currentAal: 0 | 1 | 2 | 3; methods: Method[] } };

export interface Scenario {
  name: string;
  tenant: TenantPolicy;
  factors: Make[];
  assurance: { aal: 0 | 1 | 2 | 3; phishingResistant: boolean; nonNist: boolean };
  expect: Record<Group, Expected>;
  /** The user holds an IdP login that, repeated at the IdP, alone satisfies AAL2 checkpoints. */
  ssoStepUp?: boolean;
}

const ok = (aal: Aal, nonNist = false): Expected => ({ ok: aal, nonNist });
const need = (currentAal: 0 | 1 | 2 | 3, methods: Method[]): Expected => ({
  need: { currentAal, methods },
});
const A = (aal: 0 | 1 | 2 | 3, phishingResistant = false, nonNist = false) => ({
  aal,
  phishingResistant,
  nonNist,
});

export const SIGNUP_ALL: Method[] = ['otp-email', 'otp-sms', 'otp-whatsapp', 'otp-voice'];
export const RESET_ALL: Method[] = [...SIGNUP_ALL, 'totp', 'webauthn', 'recovery-code'];
/** Methods that complete an AAL2 pair with a knowledge factor already held (plus a passkey). */
const KNOW_S: Method[] = ['webauthn', 'totp', 'otp-whatsapp', 'otp-sms', 'otp-voice'];
const KNOW_L: Method[] = [...KNOW_S, 'recovery-code'];
const KNOW_S_SSO: Method[] = [...KNOW_S, 'sso'];
const KNOW_L_SSO: Method[] = [...KNOW_S_SSO, 'recovery-code'];
/** With a possession factor held: a passkey alone, or the password to pair with it. */
const HAVE: Method[] = ['webauthn', 'pwd'];
const NO_SIGNUP = need(0, SIGNUP_ALL);
const NO_RESET = need(0, RESET_ALL);

/** One possession factor that proves a contact (SMS, voice, WhatsApp), 6 digits. */
const contact = (name: string, one: Make): Scenario => ({
  name,
  tenant: TRUSTING,
  factors: [one],
  assurance: A(1),
  expect: { login: need(1, HAVE), sensitive: need(1, HAVE), signup: ok(1), reset: ok(1) },
});
const untrustedSso = (name: string, one: Make, tenant: TenantPolicy): Scenario => ({
  name,
  tenant,
  factors: [one],
  assurance: A(1),
  expect: {
    login: need(1, KNOW_L),
    sensitive: need(1, KNOW_S),
    signup: NO_SIGNUP,
    reset: NO_RESET,
  },
});
const weakSso = (name: string, one: Make): Scenario => ({
  name,
  tenant: TRUSTING,
  factors: [one],
  assurance: A(1),
  expect: {
    login: need(1, KNOW_L_SSO),
    sensitive: need(1, KNOW_S_SSO),
    signup: NO_SIGNUP,
    reset: NO_RESET,
  },
  ssoStepUp: true,
});
const trustedSso = (name: string, one: Make, aal: Aal, phishingResistant: boolean): Scenario => ({
  name,
  tenant: TRUSTING,
  factors: [one],
  assurance: A(aal, phishingResistant),
  expect: { login: ok(aal), sensitive: ok(aal), signup: NO_SIGNUP, reset: NO_RESET },
  ssoStepUp: true,
});
const passwordAnd = (name: string, second: Make): Scenario => ({
  name: `a password and ${name}`,
  tenant: TRUSTING,
  factors: [make.pwd, second],
  assurance: A(2),
  expect: { login: ok(2), sensitive: ok(2), signup: ok(1), reset: ok(1) },
});

export const SCENARIOS: Scenario[] = [
  {
    name: 'no factor',
    tenant: TRUSTING,
    factors: [],
    assurance: A(0),
    expect: {
      login: need(0, ['webauthn']),
      sensitive: need(0, ['webauthn']),
      signup: NO_SIGNUP,
      reset: NO_RESET,
    },
  },
  {
    name: 'a password',
    tenant: TRUSTING,
    factors: [make.pwd],
    assurance: A(1),
    expect: {
      login: need(1, KNOW_L),
      sensitive: need(1, KNOW_S),
      signup: NO_SIGNUP,
      reset: NO_RESET,
    },
  },
  contact('an SMS code', make.sms),
  contact('a voice-call code', make.voice),
  contact('a WhatsApp code', make.whatsapp),
  {
    name: 'an authenticator-app code',
    tenant: TRUSTING,
    factors: [make.totp],
    assurance: A(1),
    expect: { login: need(1, HAVE), sensitive: need(1, HAVE), signup: NO_SIGNUP, reset: ok(1) },
  },
  {
    name: 'a recovery code',
    tenant: TRUSTING,
    factors: [make.recovery],
    assurance: A(1),
    expect: {
      login: need(1, HAVE),
      sensitive: need(0, ['webauthn']),
      signup: NO_SIGNUP,
      reset: ok(1),
    },
  },
  {
    name: 'an email code without the tenant opt-in',
    tenant: TRUSTING,
    factors: [make.email],
    assurance: A(0),
    expect: {
      login: need(0, ['webauthn']),
      sensitive: need(0, ['webauthn']),
      signup: ok(1, true),
      reset: ok(1, true),
    },
  },
  {
    name: 'an email code with the tenant opt-in',
    tenant: EMAIL_OPT_IN,
    factors: [make.email],
    assurance: A(1, false, true),
    expect: {
      login: need(1, HAVE),
      sensitive: need(1, HAVE),
      signup: ok(1, true),
      reset: ok(1, true),
    },
  },
  {
    name: 'a device-bound passkey with user verification',
    tenant: TRUSTING,
    factors: [make.passkeyBound],
    assurance: A(3, true),
    expect: { login: ok(3), sensitive: ok(3), signup: NO_SIGNUP, reset: ok(3) },
  },
  {
    name: 'a synced passkey with user verification',
    tenant: TRUSTING,
    factors: [make.passkeySynced],
    assurance: A(2, true),
    expect: { login: ok(2), sensitive: ok(2), signup: NO_SIGNUP, reset: ok(2) },
  },
  {
    name: 'a device-bound security key without user verification',
    tenant: TRUSTING,
    factors: [make.keyBound],
    assurance: A(1, true),
    expect: { login: need(1, HAVE), sensitive: need(1, HAVE), signup: NO_SIGNUP, reset: ok(1) },
  },
  {
    name: 'a synced credential without user verification',
    tenant: TRUSTING,
    factors: [make.keySynced],
    assurance: A(1, true),
    expect: { login: need(1, HAVE), sensitive: need(1, HAVE), signup: NO_SIGNUP, reset: ok(1) },
  },
  trustedSso('a trusted IdP login at an AAL2 acr', make.ssoMfa, 2, false),
  trustedSso("a trusted IdP login at 'phrh'", make.ssoPhrh, 3, true),
  trustedSso("a trusted IdP login at 'phr'", make.ssoPhr, 2, true),
  trustedSso("a trusted IdP login at an acr mapped to 3 that is not 'phrh'", make.ssoHw, 2, false),
  weakSso('a trusted IdP login at an acr mapped to 1', make.ssoAcr1),
  weakSso('a trusted IdP login at an unlisted acr', make.ssoUnknownAcr),
  weakSso('a trusted IdP login without an acr', make.ssoNoAcr),
  untrustedSso(
    'an IdP login from an issuer the tenant does not list',
    make.ssoOtherIssuer,
    TRUSTING,
  ),
  untrustedSso(
    'an IdP login at an AAL2 acr where the tenant does not trust IdP MFA',
    make.ssoMfa,
    PLAIN,
  ),
  {
    name: 'a 4-digit SMS code',
    tenant: TRUSTING,
    factors: [make.sms4],
    assurance: A(1),
    expect: {
      login: need(1, ['webauthn']),
      sensitive: need(1, ['webauthn']),
      signup: ok(1),
      reset: ok(1),
    },
  },
  {
    name: 'a 5-digit SMS code',
    tenant: TRUSTING,
    factors: [make.sms5],
    assurance: A(1),
    expect: {
      login: need(1, ['webauthn']),
      sensitive: need(1, ['webauthn']),
      signup: ok(1),
      reset: ok(1),
    },
  },
  passwordAnd('an SMS code', make.sms),
  passwordAnd('a voice-call code', make.voice),
  passwordAnd('a WhatsApp code', make.whatsapp),
  {
    name: 'a password and an authenticator-app code',
    tenant: TRUSTING,
    factors: [make.pwd, make.totp],
    assurance: A(2),
    expect: { login: ok(2), sensitive: ok(2), signup: NO_SIGNUP, reset: ok(1) },
  },
  {
    name: 'a password and a recovery code',
    tenant: TRUSTING,
    factors: [make.pwd, make.recovery],
    assurance: A(2),
    expect: { login: ok(2), sensitive: need(1, KNOW_S), signup: NO_SIGNUP, reset: ok(1) },
  },
  {
    name: 'a password and an email code without the tenant opt-in',
    tenant: TRUSTING,
    factors: [make.pwd, make.email],
    assurance: A(1),
    expect: {
      login: need(1, KNOW_L),
      sensitive: need(1, KNOW_S),
      signup: ok(1, true),
      reset: ok(1, true),
    },
  },
  {
    name: 'a password and an email code with the tenant opt-in',
    tenant: EMAIL_OPT_IN,
    factors: [make.pwd, make.email],
    assurance: A(2, false, true),
    expect: { login: ok(2, true), sensitive: ok(2, true), signup: ok(1, true), reset: ok(1, true) },
  },
  {
    name: 'a password and a 4-digit email code with the tenant opt-in',
    tenant: EMAIL_OPT_IN,
    factors: [make.pwd, make.email4],
    assurance: A(1),
    expect: {
      login: need(1, [...KNOW_L, 'otp-email']),
      sensitive: need(1, [...KNOW_S, 'otp-email']),
      signup: ok(1, true),
      reset: ok(1, true),
    },
  },
  {
    name: 'a password and a 4-digit SMS code',
    tenant: TRUSTING,
    factors: [make.pwd, make.sms4],
    assurance: A(1),
    expect: { login: need(1, KNOW_L), sensitive: need(1, KNOW_S), signup: ok(1), reset: ok(1) },
  },
  {
    name: 'a password and a 5-digit SMS code',
    tenant: TRUSTING,
    factors: [make.pwd, make.sms5],
    assurance: A(1),
    expect: { login: need(1, KNOW_L), sensitive: need(1, KNOW_S), signup: ok(1), reset: ok(1) },
  },
  {
    name: 'an SMS code and an authenticator-app code (two possession factors)',
    tenant: TRUSTING,
    factors: [make.sms, make.totp],
    assurance: A(1),
    expect: { login: need(1, HAVE), sensitive: need(1, HAVE), signup: ok(1), reset: ok(1) },
  },
  {
    name: 'an SMS code and a WhatsApp code (two possession factors)',
    tenant: TRUSTING,
    factors: [make.sms, make.whatsapp],
    assurance: A(1),
    expect: { login: need(1, HAVE), sensitive: need(1, HAVE), signup: ok(1), reset: ok(1) },
  },
  {
    name: 'an authenticator-app code and a recovery code (two possession factors)',
    tenant: TRUSTING,
    factors: [make.totp, make.recovery],
    assurance: A(1),
    expect: { login: need(1, HAVE), sensitive: need(1, HAVE), signup: NO_SIGNUP, reset: ok(1) },
  },
  {
    name: 'an email code and an SMS code with the tenant opt-in (two possession factors)',
    tenant: EMAIL_OPT_IN,
    factors: [make.email, make.sms],
    assurance: A(1),
    expect: { login: need(1, HAVE), sensitive: need(1, HAVE), signup: ok(1), reset: ok(1) },
  },
  {
    name: 'a password and a device-bound passkey with user verification',
    tenant: TRUSTING,
    factors: [make.pwd, make.passkeyBound],
    assurance: A(3, true),
    expect: { login: ok(3), sensitive: ok(3), signup: NO_SIGNUP, reset: ok(3) },
  },
  {
    name: 'a password and a synced passkey with user verification',
    tenant: TRUSTING,
    factors: [make.pwd, make.passkeySynced],
    assurance: A(2, true),
    expect: { login: ok(2), sensitive: ok(2), signup: NO_SIGNUP, reset: ok(2) },
  },
  {
    name: 'a password and a device-bound security key without user verification',
    tenant: TRUSTING,
    factors: [make.pwd, make.keyBound],
    assurance: A(3, true),
    expect: { login: ok(3), sensitive: ok(3), signup: NO_SIGNUP, reset: ok(1) },
  },
  {
    name: 'a password and a synced credential without user verification',
    tenant: TRUSTING,
    factors: [make.pwd, make.keySynced],
    assurance: A(2, true),
    expect: { login: ok(2), sensitive: ok(2), signup: NO_SIGNUP, reset: ok(1) },
  },
  {
    name: 'an SMS code and a device-bound security key without user verification',
    tenant: TRUSTING,
    factors: [make.sms, make.keyBound],
    assurance: A(1, true),
    expect: { login: need(1, HAVE), sensitive: need(1, HAVE), signup: ok(1), reset: ok(1) },
  },
  {
    name: 'an IdP login at an unlisted acr and an SMS code',
    tenant: TRUSTING,
    factors: [make.ssoUnknownAcr, make.sms],
    assurance: A(2),
    expect: { login: ok(2), sensitive: ok(2), signup: ok(1), reset: ok(1) },
    ssoStepUp: true,
  },
  {
    name: 'a password and an IdP login at an unlisted acr (two knowledge factors)',
    tenant: TRUSTING,
    factors: [make.pwd, make.ssoUnknownAcr],
    assurance: A(1),
    expect: {
      login: need(1, KNOW_L_SSO),
      sensitive: need(1, KNOW_S_SSO),
      signup: NO_SIGNUP,
      reset: NO_RESET,
    },
    ssoStepUp: true,
  },
  {
    name: 'a trusted AAL2 IdP login and a device-bound security key (no AAL3 across IdP and app)',
    tenant: TRUSTING,
    factors: [make.ssoMfa, make.keyBound],
    assurance: A(2),
    expect: { login: ok(2), sensitive: ok(2), signup: NO_SIGNUP, reset: ok(1) },
    ssoStepUp: true,
  },
  {
    name: 'a password, an SMS code and a device-bound passkey',
    tenant: TRUSTING,
    factors: [make.pwd, make.sms, make.passkeyBound],
    assurance: A(3, true),
    expect: { login: ok(3), sensitive: ok(3), signup: ok(1), reset: ok(3) },
  },
];
