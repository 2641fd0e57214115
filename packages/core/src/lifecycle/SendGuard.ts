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
  evaluate(input: GuardInput): Promise<GuardRefusal | undefined>;
}
