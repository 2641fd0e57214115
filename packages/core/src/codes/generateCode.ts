import { randomInt } from 'node:crypto';

/** A source of uniform random integers in `[0, max)`. Injected so tests can make codes predictable. */
export type RandomInt = (max: number) => number;

/** Node's CSPRNG: `crypto.randomInt`, which has no modulo bias. */
export const secureRandomInt: RandomInt = (max) => randomInt(max);

/**
 * Generates a one-time code of `length` decimal digits, leading zeros kept.
 *
 * The code is drawn as one integer in `[0, 10^length)` and zero-padded, so every code of the
 * given length is equally likely.
 *
 * @see NIST SP 800-63B rev 4 §3.1.3.2 (approved RBG, at least 6 digits); OWASP ASVS 5 V6.5.3
 * @example generateCode(6) // '042917'
 */
export function generateCode(length: number, random: RandomInt = secureRandomInt): string {
  if (!Number.isInteger(length) || length < 4 || length > 10) {
    throw new RangeError(`code length must be an integer from 4 to 10, got ${String(length)}`);
  }
  // randomInt accepts ranges below 2^48; 10^10 fits, so a single draw gives a uniform code.
  return String(random(10 ** length)).padStart(length, '0');
}
