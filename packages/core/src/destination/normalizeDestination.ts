import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { CheckpointError, invalidRequest } from '../errors/CheckpointError.js';
import { type LineType, lookupPhone } from './lookupPhone.js';
import { maskEmail, maskPhone } from './mask.js';

/** Where codes for a verification go: a phone number, an email address, or both (for fallback). */
export type DestinationInput = string | { phone?: string; email?: string };

/** A validated, normalised destination. */
export interface Destination {
  phone?: { e164: string; country: string | undefined; callingCode: string };
  email?: string;
}

const MAX_PHONE_INPUT = 64;
const MAX_EMAIL = 254;
// Deliberately plain: one @, no whitespace or control characters, a dotted domain.
const EMAIL =
  /^[^\s@\p{Cc}]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/u;

/**
 * @internal
 * Validates and normalises `to`: phone numbers to E.164 with libphonenumber-js (national formats
 * need `defaultCountry`), email addresses to a lower-cased domain.
 */
export function normalizeDestination(to: unknown, defaultCountry?: string): Destination {
  if (typeof to === 'string') {
    return to.includes('@')
      ? { email: normalizeEmail(to) }
      : { phone: normalizePhone(to, defaultCountry) };
  }
  if (typeof to !== 'object' || to === null || Array.isArray(to)) {
    throw invalidRequest('`to` must be a phone number, an email address, or { phone?, email? }');
  }
  const { phone, email } = to as { phone?: unknown; email?: unknown };
  if (phone === undefined && email === undefined) {
    throw invalidRequest('`to` must name a phone number or an email address');
  }
  const destination: Destination = {};
  if (phone !== undefined) destination.phone = normalizePhone(phone, defaultCountry);
  if (email !== undefined) destination.email = normalizeEmail(email);
  return destination;
}

/** @internal Parses a phone number to E.164, or throws `invalid_number`. */
export function normalizePhone(
  input: unknown,
  defaultCountry?: string,
): NonNullable<Destination['phone']> {
  if (typeof input !== 'string')
    throw new CheckpointError('invalid_number', 'a phone number must be a string');
  if (input.length === 0 || input.length > MAX_PHONE_INPUT) {
    throw new CheckpointError(
      'invalid_number',
      `a phone number must be 1 to ${MAX_PHONE_INPUT} characters`,
    );
  }
  const parsed = parsePhoneNumberFromString(input, {
    ...(defaultCountry === undefined ? {} : { defaultCountry: defaultCountry as CountryCode }),
    extract: false,
  });
  // With the full metadata a number is valid exactly when it has a type (libphonenumber-js's own
  // isValid asks getType), so one getType answers both and the line type guard reuses it.
  const type = parsed?.getType();
  if (parsed === undefined || (type === undefined && !parsed.isValid())) {
    throw new CheckpointError(
      'invalid_number',
      defaultCountry === undefined && !input.trim().startsWith('+')
        ? 'not a valid phone number: use E.164 (+14155550100) or configure a defaultCountry'
        : 'not a valid phone number',
    );
  }
  const phone = {
    e164: parsed.number,
    country: parsed.country,
    callingCode: parsed.countryCallingCode,
  };
  lineTypes.set(phone, type === undefined ? 'unknown' : (type.toLowerCase() as LineType));
  return phone;
}

// The line type found while normalising, per normalised phone object: the pumping guards and the
// channel policy of the same send ask for it again, and a parse costs tens of microseconds.
const lineTypes = new WeakMap<object, LineType>();

/**
 * @internal
 * The line type of a phone destination: the one found when {@link normalizePhone} made it, else
 * (a destination read back from a store) a fresh lookup.
 */
export function lineTypeOf(phone: NonNullable<Destination['phone']>): LineType {
  let type = lineTypes.get(phone);
  if (type === undefined) {
    type = lookupPhone(phone.e164).lineType;
    lineTypes.set(phone, type);
  }
  return type;
}

/** @internal Validates an email address and lower-cases its domain. */
export function normalizeEmail(input: unknown): string {
  if (typeof input !== 'string' || input.length > MAX_EMAIL || !EMAIL.test(input)) {
    throw invalidRequest('not a valid email address');
  }
  const at = input.lastIndexOf('@');
  return `${input.slice(0, at)}@${input.slice(at + 1).toLowerCase()}`;
}

/** @internal The primary destination string (phone first) and its masked form. */
export function primaryDestination(destination: Destination): {
  kind: 'phone' | 'email';
  value: string;
  masked: string;
} {
  if (destination.phone !== undefined) {
    return {
      kind: 'phone',
      value: destination.phone.e164,
      masked: maskPhone(destination.phone.e164, destination.phone.callingCode),
    };
  }
  const email = destination.email as string;
  return { kind: 'email', value: email, masked: maskEmail(email) };
}
