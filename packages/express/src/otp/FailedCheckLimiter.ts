import { type Checkpoint, CheckpointError, type RateWindow } from '@checkpoint/core';
import { BlockCache } from './BlockCache.js';
import type { RouterKeys } from './RouterKeys.js';

/**
 * @internal A failed-check counter of one client: who it counts (`parts`, hashed into the store
 * key only when a failure is recorded, so an approval costs no HMAC), its window and the reason
 * reported. `local` names it in this process's block cache.
 */
export interface LimiterKey {
  local: string;
  parts: readonly [kind: string, ...rest: string[]];
  window: RateWindow;
  reason: 'failed_checks:ip' | 'failed_checks:subject';
}

/**
 * @internal
 * Failed checks per IP and per subject across verification ids (guessing one code on each of
 * many verifications). A failure is counted with `checkpoint.rateLimit`, so every process shares
 * the count; once a counter refuses, this process remembers the block until the window ends and
 * answers 429 without calling `checkpoint.check`. A successful check costs no store round trip.
 *
 * Bound across processes: a process that has not seen a refusal yet lets a check through, so
 * beyond the limit an attacker gets at most one more guess per process (plus those already in
 * flight) before every process that served them is blocking too.
 */
export class FailedCheckLimiter {
  private readonly blocks = new BlockCache();

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

  /** Counts one failed check; throws `rate_limited` when that goes over a limit. */
  async recordFailure(keys: readonly LimiterKey[], now: number): Promise<void> {
    const answers = await Promise.all(
      keys.map(({ parts: [kind, ...rest], window }) =>
        this.checkpoint.rateLimit({
          key: this.keys.counterKey(kind, ...rest),
          limit: window.limit,
          windowSeconds: window.windowSeconds,
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
}

function refusal(reason: LimiterKey['reason'], retryAfter: number): CheckpointError {
  return new CheckpointError(
    'rate_limited',
    `too many failed checks (${reason}); retry in ${retryAfter} s`,
    { retryAfter, reasons: [reason] },
  );
}
