import {
  CONTROL_EVENT_TYPES,
  type ControlEventType,
  FACTOR_EVENT_TYPES,
  type FactorEventType,
} from '@checkpoint/core';
/** The lifecycle events Checkpoint sends to a tenant's webhook endpoints. */
export type WebhookEventType =
  | 'verification.approved'
  | 'verification.failed'
  | 'verification.expired'
  | 'verification.delivery_failed'
  | 'verification.fallback'
  | 'verification.blocked'
  // A user's own factors (@checkpoint/factors): announce them to the user on another channel.
  | FactorEventType
  // The controls around step-up checkpoints (@checkpoint/express): for the tenant's security tooling.
  | ControlEventType;

/** Every {@link WebhookEventType}, for endpoint `events` filters and validation. */
export const WEBHOOK_EVENT_TYPES: readonly WebhookEventType[] = Object.freeze([
  'verification.approved',
  'verification.failed',
  'verification.expired',
  'verification.delivery_failed',
  'verification.fallback',
  'verification.blocked',
  ...FACTOR_EVENT_TYPES,
  ...CONTROL_EVENT_TYPES,
]);

/**
 * Where a code went, as far as a webhook may tell: the kind and a masked form. Never the full
 * number or address, never the destination's keyed hash.
 */
export interface WebhookDestination {
  kind: 'phone' | 'email';
  /** E.g. `+1********00` or `j***@e***.com`. */
  masked: string;
  /** ISO 3166-1 alpha-2 region of a phone number; null for email. */
  country: string | null;
}

/** The `data` of a {@link WebhookEvent}. Absent facts are `null`, so the shape never changes. */
export interface WebhookEventData {
  tenantId: string;
  /** Null for a send refused before a verification existed (`verification.blocked`). */
  verificationId: string | null;
  purpose: string | null;
  channel: string | null;
  /**
   * The outcome: `approved`; `failed` or `max_attempts` (failed); `expired`; a provider error
   * code or `failed` / `undelivered` (delivery_failed); `escalated`, `exhausted` or `max_sends`
   * (fallback); the refusal's error code (blocked); the factor's method (`totp`,
   * `recovery-code`, `remembered-device`) for the factor events; for the control events their
   * outcome (`started`, `privileged_action`, `self_approval`, `approved`, `rate_limited`, `sent`,
   * `failed`, `created`, `rotated`).
   */
  result: string | null;
  /**
   * The app's user id, for the factor events (whose factors changed) and the control events (who
   * acted, or is held back); null for verifications.
   */
  userId: string | null;
  /** Machine-readable reasons, e.g. `['velocity:ip']` or `['receipt_failed']`. */
  reasons: string[];
  destination: WebhookDestination | null;
}

/**
 * The JSON body of a webhook (Standard Webhooks payload shape). Never carries a code, a full
 * destination or a destination hash.
 *
 * @example
 * { "type": "verification.approved", "timestamp": "2026-11-22T12:00:00.000Z",
 *   "data": { "tenantId": "acme", "verificationId": "vf_…", "purpose": "login", "channel": "sms",
 *             "result": "approved", "reasons": [], "userId": null,
 *             "destination": { "kind": "phone", "masked": "+1********00", "country": "US" } } }
 * @see https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md#payload-structure
 */
export interface WebhookEvent {
  type: WebhookEventType;
  /** When the audited step happened (ISO 8601); the same on every retry. */
  timestamp: string;
  data: WebhookEventData;
}
