import type { Aal } from './Factor.js';

/** @internal Shows a rejected value in an error message without dumping objects. */
export function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === undefined) {
    return String(value);
  }
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

/** @internal True for an object that is not an array (JSON from a session or a config store). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** @internal True for 1, 2 or 3. */
export function isAal(value: unknown): value is Aal {
  return value === 1 || value === 2 || value === 3;
}

/** @internal Throws unless `aal` is 1, 2 or 3. */
export function checkAal(aal: unknown, what: string): Aal {
  if (!isAal(aal)) throw new TypeError(`${what} must be 1, 2 or 3 (an AAL), got ${shown(aal)}`);
  return aal;
}

/** @internal Throws unless `now` is a finite number of epoch milliseconds. */
export function checkNow(now: unknown, caller: string): number {
  if (typeof now !== 'number' || !Number.isFinite(now)) {
    throw new TypeError(
      `${caller} needs now: the current time in epoch milliseconds (e.g. clock.now()), got ${shown(now)}`,
    );
  }
  return now;
}

/** @internal Longest maxAgeSeconds accepted: the AAL1 session limit (30 days). */
export const MAX_AGE_LIMIT_SECONDS = 30 * 86_400;

/** @internal Throws unless `seconds` is a whole number of seconds from 0 to 30 days. */
export function checkMaxAge(seconds: unknown, what: string): number {
  if (
    typeof seconds !== 'number' ||
    !Number.isInteger(seconds) ||
    seconds < 0 ||
    seconds > MAX_AGE_LIMIT_SECONDS
  ) {
    throw new TypeError(
      `${what} must be a whole number of seconds from 0 to ${MAX_AGE_LIMIT_SECONDS} (30 days), got ${shown(seconds)}`,
    );
  }
  return seconds;
}
