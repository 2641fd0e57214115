import type { RateWindow, TenantConfig } from '../config/TenantConfig.js';
import type { CounterRule } from '../store/Store.js';

/** @internal The subjects a send is counted against. */
export interface VelocitySubjects {
  tenantId: string;
  /** Keyed hashes of every destination of the verification (phone and/or email). */
  destinationHashes: readonly string[];
  /** Keyed hash of the primary destination (its failure budget). */
  primaryHash: string;
  /** Keyed hash of the client IP, when known. */
  ipHash?: string;
  asn?: number;
}

/**
 * @internal
 * Counter rules for one send: every velocity window of every subject, plus a read-only test of the
 * destination's failure budget (a destination that has seen too many wrong codes gets no new code).
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
      subjects.primaryHash,
      config.destinationFailures.limit,
      config.destinationFailures.windowSeconds,
      0,
    ),
  );
  return rules;
}

/** @internal The failure-budget counter of a destination; `check` adds to it, `send` only tests it. */
export function failureBudgetRule(
  destinationHash: string,
  limit: number,
  windowSeconds: number,
  cost: 0 | 1,
): CounterRule {
  return { key: failureBudgetKey(destinationHash), limit, windowSeconds, cost };
}

/** @internal The counter key of a destination's failure budget. */
export function failureBudgetKey(destinationHash: string): string {
  return `fail:${destinationHash}`;
}

/** @internal Which subject a counter key belongs to, for reasons such as `velocity:ip`. */
export function counterReason(key: string): string {
  const kind = key.slice(0, key.indexOf(':'));
  return kind === 'fail'
    ? 'destination_failures'
    : `velocity:${kind === 'dest' ? 'destination' : kind}`;
}
