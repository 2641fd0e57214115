import type { FailureBudget, RateWindow, TenantConfig } from '../config/TenantConfig.js';
import type { CounterRule } from '../store/Store.js';
import { failureBudgetKey } from './failureBudget.js';

/** @internal The subjects a send is counted against. */
export interface VelocitySubjects {
  tenantId: string;
  /** Keyed hashes of every destination of the verification (phone and/or email). */
  destinationHashes: readonly string[];
  /** Keyed hash of the primary destination (its failure budget). */
  primaryHash: string;
  /** The verification's subject: whose failure budget it tests (none: the anonymous one). */
  subject?: string | undefined;
  /** Keyed hash of the client IP, when known. */
  ipHash?: string;
  asn?: number;
}

/**
 * @internal
 * Counter rules for one send: every velocity window of every subject, plus a read-only test of the
 * destination's failure budget for this tenant and subject (a locked budget gets no new code).
 * Counter keys name their subject kind first (`dest:`, `ip:`, `asn:`, `tenant:`, `fail:`) so a
 * store can place them; destination keys carry the keyed hash, never the number.
 */
export function counterRules(config: TenantConfig, subjects: VelocitySubjects): CounterRule[] {
  const rules: CounterRule[] = [];
  const add = (key: string, windows: readonly RateWindow[]): void => {
    for (const { limit, windowSeconds } of windows) {
      rules.push({ key: `${key}:${windowSeconds}`, limit, windowSeconds, cost: 1 });
    }
  };
  for (const hash of subjects.destinationHashes) add(`dest:${hash}`, config.velocity.destination);
  if (subjects.ipHash !== undefined) add(`ip:${subjects.ipHash}`, config.velocity.ip);
  if (subjects.asn !== undefined) add(`asn:${subjects.asn}`, config.velocity.asn);
  add(`tenant:${subjects.tenantId}`, config.velocity.tenant);
  rules.push(
    failureBudgetRule(
      {
        destinationHash: subjects.primaryHash,
        tenantId: subjects.tenantId,
        subject: subjects.subject,
      },
      config.destinationFailures,
      0,
    ),
  );
  return rules;
}

/**
 * @internal
 * The failure budget of a destination for one tenant and subject, as a counter rule: `check`
 * adds to it, `send` and `resend` only test it (refused while it is locked).
 */
export function failureBudgetRule(
  owner: { destinationHash: string; tenantId: string; subject?: string | undefined },
  budget: FailureBudget,
  cost: 0 | 1,
): CounterRule {
  return {
    key: failureBudgetKey(owner),
    limit: budget.limit,
    windowSeconds: budget.windowSeconds,
    cost,
    lockSeconds: budget.lockSeconds,
  };
}

/** @internal Which subject a counter key belongs to, for reasons such as `velocity:ip`. */
export function counterReason(key: string): string {
  const kind = key.slice(0, key.indexOf(':'));
  return kind === 'fail'
    ? 'destination_failures'
    : `velocity:${kind === 'dest' ? 'destination' : kind}`;
}
