import { maskEmail } from '@checkpoint/core';

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
// International (+…), North American ((415) 555-0100, 415.555.0100) and bare runs of 7+ digits.
const PHONE =
  /\+\d[\d ().-]{5,20}\d|(?<![\w.:-])\(?\d{3}\)?[ .-]?\d{3}[ .-]\d{4}(?![\w])|(?<![\w.:-])\d{7,}(?![\w])/g;
// A lone run of exactly six digits is what a default code looks like.
const SIX_DIGITS = /(?<![\w.:-])\d{6}(?![\w])/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/g;

// Fields whose value is a secret whatever it looks like.
const SECRET_KEYS = new Set([
  'otp',
  'passcode',
  'pin',
  'onetimecode',
  'verificationcode',
  'codes',
  'password',
  'secret',
  'token',
  'authtoken',
  'accesstoken',
  'apikey',
  'authorization',
  'cookie',
]);
// `…code` fields that name an error or status, not a passcode.
const NOT_A_CODE = new Set([
  'errorcode',
  'statuscode',
  'countrycode',
  'httpcode',
  'exitcode',
  'responsecode',
]);

/** @internal Which fields {@link redactValue} drops. */
export function isCodeField(key: string, value: unknown): boolean {
  const name = key.toLowerCase().replace(/[_-]/g, '');
  if (SECRET_KEYS.has(name)) return true;
  if (!name.endsWith('code') || NOT_A_CODE.has(name)) return false;
  // `code` on a Node or Checkpoint error ('ECONNREFUSED', 'rate_limited') is not a passcode;
  // digits, numbers and anything else are.
  return !(typeof value === 'string' && /[A-Za-z]/.test(value));
}

/** @internal Masks emails and phone numbers, hides six-digit runs and escapes control characters. */
export function redactText(text: string): string {
  return text
    .replace(EMAIL, (email) => maskEmail(email))
    .replace(PHONE, (phone) => `[phone …${phone.replace(/\D/g, '').slice(-2)}]`)
    .replace(SIX_DIGITS, '[redacted]')
    .replace(CONTROL, (char) =>
      char === '\n'
        ? '\\n'
        : char === '\r'
          ? '\\r'
          : `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
}

/**
 * @internal
 * A redacted deep copy: strings redacted, code-like fields dropped, errors reduced to name and
 * message, depth and cycles bounded.
 */
export function redactValue(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return redactText(value);
  if (typeof value !== 'object' || value === null) {
    return typeof value === 'function' || typeof value === 'symbol' ? undefined : value;
  }
  if (depth >= 6) return '[depth]';
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return {
      name: value.name,
      message: redactText(value.message),
      ...(code !== undefined && !isCodeField('code', code)
        ? { code: redactValue(code, depth + 1, seen) }
        : {}),
    };
  }
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (isCodeField(key, item)) continue;
    out[redactText(key)] = redactValue(item, depth + 1, seen);
  }
  return out;
}
