import type { Aal, Method } from './Factor.js';

/**
 * A moment that needs a given strength of authentication: the AAL, how recent every counted
 * factor must be, and the methods accepted there. Factors of other methods do not count toward
 * it, and `methods` is also the order in which step-up options are offered.
 *
 * @example const checkpoint: Checkpoint = { name: 'refund', aal: 2, maxAgeSeconds: 300, methods: ['webauthn', 'totp', 'pwd'] };
 * @see RFC 9470 §3 (acr_values, max_age); NIST SP 800-63B rev 4 §2
 */
export interface Checkpoint {
  name: string;
  aal: Aal;
  /** Every factor that counts must be at most this old (seconds); exactly this old still counts. */
  maxAgeSeconds: number;
  /** Methods accepted here, in order of preference. */
  methods: readonly Method[];
  /** Demand that the level be reached with a phishing-resistant authenticator (WebAuthn, or a trusted `phr`/`phrh` IdP). */
  phishingResistant?: boolean;
}

/**
 * The names of the built-in checkpoints.
 *
 * @example const name: CheckpointName = 'billing_change';
 * @see NIST SP 800-63B rev 4 §2 (AAL chosen by the risk of the transaction); OWASP ASVS 5 V7.5.3
 */
export type CheckpointName =
  | 'login'
  | 'signup'
  | 'password_reset'
  | 'admin_role_grant'
  | 'billing_change'
  | 'api_key_create'
  | 'audit_log_access'
  | 'data_export'
  | 'contact_change'
  | 'factor_change';

/**
 * A tenant's change to a checkpoint: any of its fields but the name. A checkpoint that is not
 * built in needs `aal`, `maxAgeSeconds` and `methods`.
 *
 * @example const stricter: CheckpointOverride = { aal: 3, methods: ['webauthn'] };
 * @see RFC 9470 §3
 */
export type CheckpointOverride = Partial<Omit<Checkpoint, 'name'>>;

// Phishing-resistant first (NIST rev 4 §2.2: AAL2 apps must offer one), then the app-based OTP,
// then the PSTN-restricted ones, then the IdP, then the password (it only ever completes a pair).
const STEP_UP: readonly Method[] = [
  'webauthn',
  'totp',
  'otp-whatsapp',
  'otp-sms',
  'otp-voice',
  'sso',
  'pwd',
];
const CONTACT: readonly Method[] = ['otp-email', 'otp-sms', 'otp-whatsapp', 'otp-voice'];
const POSSESSION: readonly Method[] = [...CONTACT, 'totp', 'webauthn', 'recovery-code'];
const FIVE_MINUTES = 300;

function entry(name: CheckpointName, aal: Aal, maxAgeSeconds: number, methods: readonly Method[]) {
  return Object.freeze({ name, aal, maxAgeSeconds, methods: Object.freeze([...methods]) });
}

/**
 * The built-in checkpoints, with defaults chosen for a B2B SaaS (reasons in the README):
 * login AAL2 within 24 h; signup and password_reset AAL1 within 10 min; admin_role_grant,
 * billing_change, api_key_create and data_export AAL2 within 5 min; audit_log_access AAL2 within
 * 15 min. Email codes are accepted only at signup and password_reset, where they prove an address.
 *
 * @example CHECKPOINTS.billing_change.maxAgeSeconds; // 300
 * @see NIST SP 800-63B rev 4 §2.2.3 (AAL2 reauthentication), §3.1.3.1 (no email OOB); OWASP ASVS 5 V6.4.3, V7.5.3
 */
export const CHECKPOINTS: Readonly<Record<CheckpointName, Checkpoint>> = Object.freeze({
  login: entry('login', 2, 86_400, [...STEP_UP, 'recovery-code', 'remembered-device']),
  signup: entry('signup', 1, 600, CONTACT),
  password_reset: entry('password_reset', 1, 600, POSSESSION),
  admin_role_grant: entry('admin_role_grant', 2, FIVE_MINUTES, STEP_UP),
  billing_change: entry('billing_change', 2, FIVE_MINUTES, STEP_UP),
  api_key_create: entry('api_key_create', 2, FIVE_MINUTES, STEP_UP),
  audit_log_access: entry('audit_log_access', 2, 900, STEP_UP),
  data_export: entry('data_export', 2, FIVE_MINUTES, STEP_UP),
  // Changing the phone number, email or a passkey binds a new authenticator: a fresh AAL2
  // step-up first, and a notice to the previous destination after (NIST SP 800-63B rev 4 §4.1).
  contact_change: entry('contact_change', 2, FIVE_MINUTES, STEP_UP),
  // Enrolling or removing an authenticator app, recovery codes or a remembered device: a fresh
  // AAL2 step-up, then a notice on another channel (NIST SP 800-63B rev 4 §4.1). A recovery code
  // counts here, so that a user who lost their phone can bind a new app right after recovering.
  factor_change: entry('factor_change', 2, FIVE_MINUTES, [...STEP_UP, 'recovery-code']),
});

/**
 * Tenant overrides for enterprise customers: admin_role_grant and billing_change need AAL3, which
 * only a device-bound WebAuthn credential with user verification reaches among these methods.
 *
 * @example const tenant: TenantPolicy = { id: 'bigcorp', stepUp: { ...ENTERPRISE_PRESET } };
 * @see NIST SP 800-63B rev 4 §2.3 (AAL3); OWASP ASVS 5 V6.6.1 (no PSTN at L3)
 */
export const ENTERPRISE_PRESET: Readonly<Record<string, CheckpointOverride>> = Object.freeze({
  admin_role_grant: Object.freeze({ aal: 3, methods: Object.freeze(['webauthn'] as const) }),
  billing_change: Object.freeze({ aal: 3, methods: Object.freeze(['webauthn'] as const) }),
});

/**
 * True when `name` is one of the built-in {@link CHECKPOINTS}.
 *
 * @example isCheckpointName('login'); // true
 * @see NIST SP 800-63B rev 4 §2; OWASP ASVS 5 V7.5.3
 */
export function isCheckpointName(name: unknown): name is CheckpointName {
  return typeof name === 'string' && Object.hasOwn(CHECKPOINTS, name);
}
