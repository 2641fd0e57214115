import type { TenantConfig } from '../config/TenantConfig.js';
import type { Destination } from '../destination/normalizeDestination.js';
import type { RequestContext } from '../audit/AuditEvent.js';
import type { LookupResult } from '../destination/lookupPhone.js';
import type { CounterRule, TallyOp } from '../store/Store.js';

/** What a send guard sees: the normalised request, after validation and the country policy. */
export interface GuardInput {
  tenantId: string;
  purpose: string;
  destination: Destination;
  destinationHash: string;
  context: RequestContext;
  config: TenantConfig;
  /** The LookupProvider's answer: undefined for free guards (asked before any paid lookup). */
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
 * A pluggable check on every send: the place of SMS-pumping defences. A send asks its guards in
 * the order that costs least: `pure` guards' `evaluate` first (free: no I/O, before anything is
 * paid for), then the LookupProvider and every other guard's `evaluate` (paid), then the guards'
 * `count` with the velocity caps in the send's one store step (counting).
 */
export interface SendGuard {
  readonly name: string;
  /**
   * True when `evaluate` depends on its input alone: no I/O, no state, nothing paid for. Pure
   * guards are asked first, before a paid lookup; other guards after it.
   */
  readonly pure?: boolean;
  /** Returns a refusal, or `undefined` to let the send go on. */
  evaluate?(input: GuardInput): Promise<GuardRefusal | undefined>;
  /**
   * For guards that count: the counters and tallies to add to the send's own store step (one round
   * trip with the velocity caps, the opt-out read and the create), or `undefined` for none.
   */
  count?(input: GuardInput): GuardCount | undefined;
}

/** What a counting guard adds to a send's store step, and how it judges the answer. */
export interface GuardCount {
  /** Counters tested and counted with the velocity caps (all-or-nothing), each with its refusal. */
  rules: ReadonlyArray<{ rule: CounterRule; refusal: GuardRefusal }>;
  /** Tallies added and summed in the same step. */
  tallies: readonly TallyOp[];
  /** Judges the sums (in `tallies` order) once every counter allowed; a refusal stops the send. */
  judge(sums: readonly number[]): GuardVerdict | undefined;
}

/** A counting guard's refusal, and what to do about it before the send answers. */
export interface GuardVerdict {
  refusal: GuardRefusal;
  /** Runs before the refused send answers (give back what was counted, tell the app); never throws. */
  settle?(): Promise<void>;
}
