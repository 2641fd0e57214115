/** @internal First retry waits up to this long; each later one up to twice as long. */
export const RETRY_BASE_MS = 200;
/** @internal No computed backoff is longer than this. */
export const RETRY_CAP_MS = 3_000;
/**
 * @internal
 * A `Retry-After` longer than this is not waited for: a code that arrives minutes late is
 * worthless, so the send fails over to the next channel instead.
 */
export const MAX_RETRY_AFTER_MS = 5_000;

/**
 * @internal
 * Exponential backoff with full jitter: a uniform wait in [0, min(cap, base * 2^attempt)).
 * @param attempt 0 for the first retry
 * @see https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

/**
 * @internal
 * Milliseconds a `Retry-After` header asks for (delta-seconds or an HTTP-date), or undefined
 * when it is absent or unreadable.
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3
 */
export function parseRetryAfter(
  value: string | null,
  now: number = Date.now(),
): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1_000;
  // An HTTP-date names its day and month; Date.parse alone would take '-1' as a year.
  const date = /[A-Za-z]/.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
