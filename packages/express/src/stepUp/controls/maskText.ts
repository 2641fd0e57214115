import { maskEmail } from '@checkpoint/core';

const EMAIL = /[^\s@<>()[\]",;:]+@[^\s@<>()[\]",;:]+\.[A-Za-z]{2,}/g;
// A run of 7 or more digits, possibly split by spaces, dots, dashes or brackets: a phone number,
// a card or an account number.
const DIGITS = /\+?\(?\d(?:[\s.()-]{0,2}\d){6,}/g;

/**
 * @internal
 * Masks what could identify a person or an instrument in a notice's text: an email address as
 * `j***@e***.com`, a run of 7 or more digits down to its last two (its last four for 12 or more
 * digits, as card receipts show them).
 *
 * @example maskText('card 4242 4242 4242 4242 for jane@example.com') // 'card ************4242 for j***@e***.com'
 */
export function maskText(text: string): string {
  return text
    .replace(EMAIL, (email) => maskEmail(email))
    .replace(DIGITS, (run) => {
      const digits = run.replace(/\D/g, '');
      const keep = digits.length >= 12 ? 4 : 2;
      const plus = run.startsWith('+') ? '+' : '';
      return `${plus}${'*'.repeat(digits.length - keep)}${digits.slice(-keep)}`;
    });
}

/** @internal A destination as a notice's audit event shows it: masked. */
export function maskedDestination(to: string | { phone?: string; email?: string }): string {
  if (typeof to === 'string') return maskText(to);
  return [to.phone, to.email]
    .filter((part): part is string => part !== undefined)
    .map(maskText)
    .join(' ');
}
