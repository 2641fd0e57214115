const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * Delays before each retry, in milliseconds, after an immediate first attempt: 5 s, 5 min,
 * 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h — ten attempts over about three days, the schedule
 * the Standard Webhooks specification gives as an example.
 * @see https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md#deliverability-and-reliability
 */
export const DEFAULT_RETRY_SCHEDULE: readonly number[] = Object.freeze([
  5 * SECOND,
  5 * MINUTE,
  30 * MINUTE,
  2 * HOUR,
  5 * HOUR,
  10 * HOUR,
  14 * HOUR,
  20 * HOUR,
  24 * HOUR,
]);

/** A `Retry-After` is honoured up to this long; past it the answer is treated as this. */
export const MAX_RETRY_AFTER_MS = 24 * HOUR;

/**
 * @internal
 * The delay before retry number `retry` (0 for the first retry): the schedule's entry spread by
 * ±`jitter` (a fraction) so that endpoints that failed together do not all come back at once,
 * and never shorter than the receiver's `Retry-After`.
 */
export function retryDelay(
  schedule: readonly number[],
  retry: number,
  {
    jitter,
    random,
    retryAfterMs,
  }: { jitter: number; random: () => number; retryAfterMs: number | undefined },
): number {
  const base = schedule[Math.min(retry, schedule.length - 1)] ?? 0;
  const spread = base * jitter * (random() * 2 - 1);
  const delay = Math.max(0, Math.round(base + spread));
  return retryAfterMs === undefined
    ? delay
    : Math.max(delay, Math.min(retryAfterMs, MAX_RETRY_AFTER_MS));
}

/**
 * @internal
 * A `Retry-After` value in milliseconds from `now`: delta-seconds or an HTTP date. Undefined for
 * anything else (ignored, not an error).
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d{1,10}$/.test(text)) return Number(text) * SECOND;
  if (!/[a-z]/i.test(text)) return undefined;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
