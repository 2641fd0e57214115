/** @internal Default timeout of one provider request. */
export const DEFAULT_TIMEOUT_MS = 10_000;
/** @internal Default retries after the first attempt. */
export const DEFAULT_RETRIES = 2;
const MAX_RETRIES = 5;

/** @internal The HTTP settings every provider channel takes, checked. */
export function httpSettings(
  factory: string,
  {
    baseUrl,
    timeoutMs = DEFAULT_TIMEOUT_MS,
    retries = DEFAULT_RETRIES,
  }: {
    baseUrl: string;
    timeoutMs?: number | undefined;
    retries?: number | undefined;
  },
): { baseUrl: string; timeoutMs: number; retries: number } {
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) {
    throw new TypeError(
      `${factory}: \`timeoutMs\` must be a positive whole number of milliseconds`,
    );
  }
  if (!Number.isInteger(retries) || retries < 0 || retries > MAX_RETRIES) {
    throw new TypeError(`${factory}: \`retries\` must be a whole number from 0 to ${MAX_RETRIES}`);
  }
  return { baseUrl: httpUrl(factory, 'baseUrl', baseUrl).replace(/\/+$/, ''), timeoutMs, retries };
}

/** @internal An absolute http(s) URL, or a TypeError naming the option. */
export function httpUrl(factory: string, option: string, value: unknown): string {
  if (typeof value === 'string') {
    try {
      const url = new URL(value);
      if (url.protocol === 'https:' || url.protocol === 'http:') return value;
    } catch {
      // reported below
    }
  }
  throw new TypeError(`${factory}: \`${option}\` must be an absolute http(s) URL`);
}

/** @internal A non-empty string, or a TypeError naming the option. */
export function requiredString(factory: string, option: string, value: unknown, hint = ''): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new TypeError(`${factory} requires \`${option}\`${hint === '' ? '' : `: ${hint}`}`);
  }
  return value;
}
