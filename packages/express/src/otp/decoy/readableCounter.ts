import type { Checkpoint } from '@checkpoint/core';

/**
 * @internal
 * A window counter whose value can be read back, built from `checkpoint.rateLimit` (which only
 * answers allowed / refused): `max` counters side by side, the L-th with limit L. An event counts
 * on each counter still below its limit, so after n events exactly min(n, max) of them refuse.
 * The calls run in parallel — one round trip on Redis — and live in the shared Store, so every
 * process reads the same value.
 *
 * @returns how many events were counted before this one, at most `max`.
 */
export async function readableCounter(
  checkpoint: Checkpoint,
  input: { key: string; max: number; windowSeconds: number; cost: 0 | 1 },
): Promise<number> {
  const { key, max, windowSeconds, cost } = input;
  const answers = await Promise.all(
    Array.from({ length: max }, (_, index) =>
      checkpoint.rateLimit({ key: `${key}.${index + 1}`, limit: index + 1, windowSeconds, cost }),
    ),
  );
  return answers.filter((answer) => !answer.allowed).length;
}

/** @internal Whether a marker set by {@link setMarker} is present (a counter at its limit of one). */
export async function hasMarker(
  checkpoint: Checkpoint,
  key: string,
  windowSeconds: number,
): Promise<{ present: false } | { present: true; retryAfter: number }> {
  const answer = await checkpoint.rateLimit({ key, limit: 1, windowSeconds, cost: 0 });
  return answer.allowed ? { present: false } : { present: true, retryAfter: answer.retryAfter };
}

/** @internal Sets a marker that lasts `windowSeconds` from its first setting. */
export async function setMarker(
  checkpoint: Checkpoint,
  key: string,
  windowSeconds: number,
): Promise<void> {
  await checkpoint.rateLimit({ key, limit: 1, windowSeconds, cost: 1 });
}
