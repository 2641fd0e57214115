import type { TenantConfig } from '../config/TenantConfig.js';
import type { Destination } from '../destination/normalizeDestination.js';
import type { RequestContext } from '../audit/AuditEvent.js';
import type { LookupResult } from '../destination/lookupPhone.js';

/** What a send guard sees: the normalised request, after velocity and country checks. */
export interface GuardInput {
  tenantId: string;
  purpose: string;
  destination: Destination;
  destinationHash: string;
  context: RequestContext;
  config: TenantConfig;
  lookup: LookupResult | undefined;
  now: number;
}

/** A guard's refusal; the send answers with `code` and the reason is audited. */
export interface GuardRefusal {
  code: 'fraud_detected' | 'country_blocked' | 'rate_limited';
  reason: string;
  retryAfter?: number;
}

/**
 * A pluggable check run on every send after velocity caps and the country policy (the place of
 * SMS-pumping defences). Returns a refusal, or `undefined` to let the send go on.
 */
export interface SendGuard {
  readonly name: string;
  /**
   * True when `evaluate` depends on its input alone: no I/O, no state, nothing paid for. Checkpoint
   * may then ask the guard before it counts the send (the answer cannot change), which lets the
   * store create the verification in the same operation as the counters. Leave it unset for a
   * guard that calls a service or keeps counters: it is then asked only after the velocity caps.
   */
  readonly pure?: boolean;
  evaluate(input: GuardInput): Promise<GuardRefusal | undefined>;
}
