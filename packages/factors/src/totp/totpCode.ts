import { generate, type HashAlgorithm, verify } from 'otplib';

/** The parameters of an authenticator app's codes; apps default to SHA-1, 6 digits, 30 s. */
export interface TotpParameters {
  /** @default 'sha1' */
  algorithm?: HashAlgorithm;
  /** @default 6 */
  digits?: 6 | 7 | 8;
  /** Seconds per time step. @default 30 */
  period?: number;
}

/**
 * The code an authenticator app shows at `at` for `secret` (raw bytes, or Base32 as in an
 * `otpauth://` URI): for tests, and for apps that display a code themselves.
 *
 * @example await totpCode({ secret: Buffer.from('12345678901234567890'), at: 59_000, digits: 8 }); // '94287082'
 * @see RFC 6238 §4 and Appendix B (test vectors)
 */
export async function totpCode({
  secret,
  at,
  algorithm = 'sha1',
  digits = 6,
  period = 30,
}: TotpParameters & { secret: Uint8Array | string; at: number }): Promise<string> {
  return generate({ secret, epoch: Math.floor(at / 1000), algorithm, digits, period });
}

/**
 * @internal
 * The RFC 6238 time step `code` belongs to, within `window` steps either side of `at`, or
 * undefined when it matches none. Replay refusal is the caller's: it must accept each step once.
 */
export async function matchStep({
  secret,
  code,
  at,
  window,
  algorithm = 'sha1',
  digits = 6,
  period = 30,
}: TotpParameters & {
  secret: string;
  code: string;
  at: number;
  window: number;
}): Promise<number | undefined> {
  if (!new RegExp(`^\\d{${digits}}$`).test(code)) return undefined;
  const result = await verify({
    secret,
    token: code,
    epoch: Math.floor(at / 1000),
    epochTolerance: window * period,
    algorithm,
    digits,
    period,
  });
  return result.valid && 'timeStep' in result ? result.timeStep : undefined;
}
