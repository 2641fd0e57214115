/**
 * What happened to a user's own factors (@checkpoint/factors): never a secret, a code or a cookie
 * value. Audited, and sent as webhooks of the same names.
 */
export const FACTOR_EVENT_TYPES = Object.freeze([
  'factor.enrolled',
  'factor.removed',
  'recovery_codes.generated',
  'recovery_code.used',
  'device.remembered',
  'device.revoked',
] as const);

/** One of {@link FACTOR_EVENT_TYPES}. */
export type FactorEventType = (typeof FACTOR_EVENT_TYPES)[number];

/**
 * What @checkpoint/express records around a step-up checkpoint: each proof a step-up accepted
 * (`checkpoint.stepped_up`, `result` = the factor's method, `data` = its AAL, whether it is
 * phishing-resistant, whether the checkpoint was then met), and the controls @checkpoint/policy
 * states — a new admin's cool-down, a per-user frequency limit, the notices sent after the
 * action, and API keys created or rotated. `purpose` is the checkpoint, `data.userId` the app's
 * id of the user who acted (or is held back); destinations appear masked, API keys never.
 */
export const CONTROL_EVENT_TYPES = Object.freeze([
  'checkpoint.stepped_up',
  'checkpoint.cooldown_started',
  'checkpoint.cooldown_refused',
  'checkpoint.cooldown_approved',
  'checkpoint.frequency_refused',
  'checkpoint.notified',
  'api_key.created',
  'api_key.rotated',
] as const);

/** One of {@link CONTROL_EVENT_TYPES}. */
export type ControlEventType = (typeof CONTROL_EVENT_TYPES)[number];

/** Every lifecycle step Checkpoint records. */
export type AuditEventType =
  | 'verification.requested'
  | 'verification.blocked'
  | 'verification.dispatched'
  | 'verification.dispatch_failed'
  | 'delivery.receipt'
  | 'verification.fallback'
  | 'verification.checked'
  | 'verification.approved'
  | 'verification.expired'
  | 'verification.canceled'
  | 'destination.opted_out'
  | 'destination.opted_in'
  | 'tenant.configured'
  | 'pumping.throttled'
  | FactorEventType
  | ControlEventType;

/** Request facts supplied by the app (never derived from spoofable headers by core). */
export interface RequestContext {
  ip?: string;
  asn?: number;
  userAgent?: string;
  deviceId?: string;
  /**
   * Evidence of the user's consent to receive codes, when the app collects it: a reference the
   * app can produce on request, such as its consent record id or the version and time of the text
   * the user accepted (`'sms-terms-v3 accepted 2026-11-22T10:00:00Z'`). Printable text, at most
   * 256 characters; carried into the audit events of the request as is. Never a phone number or
   * an email address: audit events hold destinations only as a keyed hash and a masked form.
   */
  consent?: string;
}

/**
 * One audit record. Destinations appear only as a keyed hash and a masked form; codes never do.
 */
export interface AuditEvent {
  /** `ae_` + 128 random bits. */
  id: string;
  type: AuditEventType;
  /** Epoch milliseconds. */
  at: number;
  tenantId: string;
  verificationId?: string;
  purpose?: string;
  channel?: string;
  destination?: { kind: 'phone' | 'email'; hash: string; masked: string; country?: string };
  context?: RequestContext;
  /** The outcome: a check result, an error code, a delivery status. */
  result?: string;
  /** Machine-readable reasons for a decision, e.g. `['velocity:ip']`. */
  reasons?: string[];
  /** Milliseconds from the verification's creation (checks, receipts). */
  latencyMs?: number;
  data?: Record<string, string | number | boolean>;
}

/** Selects audit events of one tenant in a time range (epoch ms, `from` inclusive, `to` exclusive). */
export interface AuditQuery {
  tenantId: string;
  from?: number;
  to?: number;
  types?: readonly AuditEventType[];
}

/**
 * Where audit events go. `MemoryAuditLog` is the embedded default; @checkpoint/redis and the
 * PostgreSQL sink implement it for production.
 */
export interface AuditLog {
  append(event: AuditEvent): Promise<void>;
  /** The events of one verification, oldest first. */
  byVerification(verificationId: string): Promise<AuditEvent[]>;
  /** A tenant's events in a time range, oldest first, streamed. */
  query(query: AuditQuery): AsyncIterable<AuditEvent>;
}
