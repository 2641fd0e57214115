import {
  type Checkpoint,
  type CheckLimit,
  CheckpointError,
  type RateWindow,
} from '@checkpoint/core';
import { BlockCache } from './BlockCache.js';
import type { RouterKeys } from './RouterKeys.js';

/**
 * @internal A failed-check counter of one client: who it counts (`parts`, hashed into the store
 * key), its window and the reason reported. `local` names it in this process's block cache.
 */
export interface LimiterKey {
  local: string;
  parts: readonly [kind: string, ...rest: string[]];
  window: RateWindow;
  reason: 'failed_checks:ip' | 'failed_checks:subject';
}

/** Store keys already derived, per `local` name: an HMAC per check is a few microseconds. */
const KEY_CACHE_SIZE = 10_000;

/**
 * @internal
 * Failed checks per IP and per subject across verification ids (guessing one code on each of
 * many verifications), counted BEFORE the code is compared: the counters go to
 * `checkpoint.check` as `limits`, which takes a unit from each in the check's own store step —
 * refusing with `rate_limited` when one is full, giving the unit back when the code is right. So
 * 200 concurrent guesses from one client get at most `limit` codes compared, the next guess after
 * the limit is refused without being compared, and a user who types the right code spends
 * nothing. Folding the counters into the check keeps a check one store round trip (a separate
 * reserve and refund would add one to every check; the HTTP check is a measured target). Stores
 * that cannot fold them (Redis Cluster: the counters live in other slots) reserve and refund
 * themselves; the bound holds there too.
 *
 * Once the store refuses, this process remembers the block until the window ends and answers 429
 * without calling `checkpoint.check`.
 *
 * @see NIST SP 800-63B rev 4 §3.2.2 (rate limiting), OWASP ASVS 5.0 V6.6.3, V15.4.2 (atomic check and act)
 */
export class FailedCheckLimiter {
  private readonly blocks = new BlockCache();
  private readonly storeKeys = new Map<string, string>();

  constructor(
    private readonly checkpoint: Checkpoint,
    private readonly keys: RouterKeys,
    private readonly limits: { perIp: RateWindow | undefined; perSubject: RateWindow | undefined },
  ) {}

  /** The counters a request is judged by. */
  keysFor(input: {
    ip: string | undefined;
    tenantId: string;
    subject: string | undefined;
  }): LimiterKey[] {
    const { perIp, perSubject } = this.limits;
    const keys: LimiterKey[] = [];
    if (perIp !== undefined && input.ip !== undefined) {
      keys.push({
        local: `fi\0${input.ip}`,
        parts: ['fi', input.ip],
        window: perIp,
        reason: 'failed_checks:ip',
      });
    }
    if (perSubject !== undefined && input.subject !== undefined) {
      keys.push({
        local: `fs\0${input.tenantId}\0${input.subject}`,
        parts: ['fs', input.tenantId, input.subject],
        window: perSubject,
        reason: 'failed_checks:subject',
      });
    }
    return keys;
  }

  /** Throws `rate_limited` when this process knows one of `keys` to be blocked. No I/O. */
  assertOpen(keys: readonly LimiterKey[], now: number): void {
    for (const { local, reason } of keys) {
      const retryAfter = this.blocks.retryAfter(local, now);
      if (retryAfter !== undefined) throw refusal(reason, retryAfter);
    }
  }

  /** `keys` as `checkpoint.check` limits: reserved before the code is compared, refunded on approval. */
  checkLimits(keys: readonly LimiterKey[]): CheckLimit[] {
    return keys.map((key) => ({
      key: this.storeKey(key),
      limit: key.window.limit,
      windowSeconds: key.window.windowSeconds,
      reason: key.reason,
    }));
  }

  /** Remembers the blocks a `rate_limited` refusal from `checkpoint.check` names. */
  refused(error: CheckpointError, keys: readonly LimiterKey[], now: number): void {
    if (error.code !== 'rate_limited' || error.retryAfter === undefined) return;
    for (const { local, reason } of keys) {
      if (error.reasons.includes(reason))
        this.blocks.block(local, now + error.retryAfter * 1_000, now);
    }
  }

  /**
   * Counts one failed check that never reached the store (a malformed code); throws
   * `rate_limited` when that goes over a limit.
   */
  async recordFailure(keys: readonly LimiterKey[], now: number): Promise<void> {
    const answers = await Promise.all(
      keys.map((key) =>
        this.checkpoint.rateLimit({
          key: this.storeKey(key),
          limit: key.window.limit,
          windowSeconds: key.window.windowSeconds,
        }),
      ),
    );
    let worst: { reason: LimiterKey['reason']; retryAfter: number } | undefined;
    for (const [index, answer] of answers.entries()) {
      if (answer.allowed) continue;
      const { local, reason } = keys[index] as LimiterKey;
      this.blocks.block(local, now + answer.retryAfter * 1_000, now);
      if (worst === undefined || answer.retryAfter > worst.retryAfter) {
        worst = { reason, retryAfter: answer.retryAfter };
      }
    }
    if (worst !== undefined) throw refusal(worst.reason, worst.retryAfter);
  }

  private storeKey({ local, parts: [kind, ...rest] }: LimiterKey): string {
    let key = this.storeKeys.get(local);
    if (key === undefined) {
      key = this.keys.counterKey(kind, ...rest);
      if (this.storeKeys.size >= KEY_CACHE_SIZE) this.storeKeys.clear();
      this.storeKeys.set(local, key);
    }
    return key;
  }
}

function refusal(reason: LimiterKey['reason'], retryAfter: number): CheckpointError {
  return new CheckpointError(
    'rate_limited',
    `too many failed checks (${reason}); retry in ${retryAfter} s`,
    { retryAfter, reasons: [reason] },
  );
}
