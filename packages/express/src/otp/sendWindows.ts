import { type Checkpoint, CheckpointError, type RateWindow } from '@checkpoint/core';

/** @internal One window of a send counter the router keeps beside core's. */
export interface CountedWindow {
  key: string;
  limit: number;
  windowSeconds: number;
  /** The reason core gives for the same cap, e.g. `velocity:ip`. */
  reason: string;
  /**
   * A failure budget (see `checkpoint.rateLimit`'s `lockSeconds`): only tested here, never
   * counted, as core only tests a destination's failure budget when it sends.
   */
  lockSeconds?: number;
}

/** @internal Windows for each of `windows`, on counter `key`. */
export function windowsFor(
  key: string,
  windows: readonly RateWindow[],
  reason: string,
): CountedWindow[] {
  return windows.map(({ limit, windowSeconds }) => ({
    key: `${key}:${windowSeconds}`,
    limit,
    windowSeconds,
    reason,
  }));
}

/**
 * @internal
 * Counts one send on every window, or refuses with `rate_limited` when any is full — the way
 * core's velocity caps answer, with the longest wait. Every window is tested first and counted
 * only when all have room, so a refusal is not counted (as in core); two racing requests near a
 * limit may both be refused. A failure budget among them is tested, never counted.
 */
export async function countSend(
  checkpoint: Checkpoint,
  windows: readonly CountedWindow[],
  message: (reason: string, retryAfter: number) => string,
): Promise<void> {
  if (windows.length === 0) return;
  const hit = (cost: 0 | 1) =>
    Promise.all(
      windows.map((window) =>
        checkpoint.rateLimit({
          key: window.key,
          limit: window.limit,
          windowSeconds: window.windowSeconds,
          ...(window.lockSeconds === undefined
            ? { cost }
            : { cost: 0, lockSeconds: window.lockSeconds }),
        }),
      ),
    );
  let answers = await hit(0);
  if (answers.every((answer) => answer.allowed)) answers = await hit(1);
  let refusal: { reason: string; retryAfter: number } | undefined;
  for (const [index, answer] of answers.entries()) {
    if (!answer.allowed && (refusal === undefined || answer.retryAfter > refusal.retryAfter)) {
      refusal = { reason: (windows[index] as CountedWindow).reason, retryAfter: answer.retryAfter };
    }
  }
  if (refusal !== undefined) {
    throw new CheckpointError('rate_limited', message(refusal.reason, refusal.retryAfter), {
      retryAfter: refusal.retryAfter,
      reasons: [refusal.reason],
    });
  }
}
