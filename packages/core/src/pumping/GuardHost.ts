import type { AuditEvent } from '../audit/AuditEvent.js';
import type { Clock } from '../clock/Clock.js';
import type { Logger } from '../lifecycle/Logger.js';
import type { GuardInput, SendGuard } from '../lifecycle/SendGuard.js';
import type {
  CounterReadResult,
  CounterReads,
  CounterRule,
  TallyOp,
  VerificationRecord,
} from '../store/Store.js';

/**
 * What `createCheckpoint` lends a guard that keeps counters: the checkpoint's Store counters, its
 * keyed hashing, clock and logger. Counters live in the checkpoint's Store, so every process on
 * one RedisStore shares them.
 */
export interface GuardHost {
  /**
   * `Store.hitCounters` of the checkpoint (tallies included): all-or-nothing, and a refusal names
   * the refusing rule with the longest wait. A store failure throws `CheckpointError('store_unavailable')`.
   */
  hitCounters(
    rules: readonly CounterRule[],
    now: number,
    reads?: Pick<CounterReads, 'tallies'>,
  ): Promise<CounterReadResult>;
  /**
   * Appends an event to the checkpoint's audit log and resolves its id; a sink failure is logged,
   * never thrown.
   */
  audit(event: Omit<AuditEvent, 'id' | 'at'>): Promise<string>;
  /** A keyed digest (under the checkpoint's secret) of a counter subject: counter keys never hold numbers or IPs. */
  hash(kind: string, value: string): string;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * A send guard with state in the checkpoint's Store. `createCheckpoint` calls `attach` once with
 * its {@link GuardHost}, and on every approval adds the guard's `approvalTallies` to the Store.
 *
 * @example
 * const checkpoint = createCheckpoint({ secret, channels, guards: [trafficGuard()] });
 */
export interface StatefulSendGuard extends SendGuard {
  attach(host: GuardHost): void;
  /** Tallies to add when a verification is approved (conversion tracking). */
  approvalTallies?(record: VerificationRecord): TallyOp[];
  /**
   * What to keep on the verification for `approvalTallies` (`VerificationRecord.network`): for a
   * send counted for conversion, the sender's network as a 32-bit id, or 0 without one;
   * `undefined` for a send the guard does not count (its approval is not counted either).
   */
  conversionMark?(input: GuardInput): number | undefined;
}

/** @internal Whether a guard wants a {@link GuardHost}. */
export function isStateful(guard: SendGuard): guard is StatefulSendGuard {
  return typeof (guard as Partial<StatefulSendGuard>).attach === 'function';
}
