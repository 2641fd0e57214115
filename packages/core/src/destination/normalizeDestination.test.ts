import { describe, expect, it } from 'vitest';
import { CheckpointError } from '../errors/CheckpointError.js';
import {
  normalizeDestination,
  normalizeEmail,
  normalizePhone,
  primaryDestination,
} from './normalizeDestination.js';

/** Runs `fn` and returns the CheckpointError it throws (failing the test when it throws none). */
function refusal(fn: () => unknown): CheckpointError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CheckpointError);
    return error as CheckpointError;
  }
  throw new Error('expected a CheckpointError, nothing was thrown');
}

const US = { e164: '+14155550100', country: 'US', callingCode: '1' };

describe('normalizeDestination with phone numbers', () => {
  it('keeps an E.164 number and adds its country and calling code', () => {
    expect(normalizeDestination('+14155550100')).toEqual({ phone: US });
  });

  it('normalises spaces, dashes and brackets in an international number', () => {
    expect(normalizeDestination('+1 (415) 555-0100')).toEqual({ phone: US });
    expect(normalizeDestination('+44 7400 123456')).toEqual({
      phone: { e164: '+447400123456', country: 'GB', callingCode: '44' },
    });
  });

  it('reads a national number in the default country', () => {
    expect(normalizeDestination('(415) 555-0100', 'US')).toEqual({ phone: US });
    expect(normalizeDestination('07400 123456', 'GB')).toEqual({
      phone: { e164: '+447400123456', country: 'GB', callingCode: '44' },
    });
  });

  it('refuses a national number without a default country and says to use E.164', () => {
    const error = refusal(() => normalizeDestination('(415) 555-0100'));
    expect(error.code).toBe('invalid_number');
    expect(error.message).toMatch(/E\.164.*defaultCountry/);
  });

  it.each(['+1', '12345', 'abc', '+15555555555', '+99912345678', '', '+'])(
    'refuses %j with invalid_number',
    (input) => {
      expect(refusal(() => normalizeDestination(input)).code).toBe('invalid_number');
    },
  );

  it('refuses a 65-character input even when it holds a valid number, and accepts 64', () => {
    expect(normalizeDestination('+14155550100'.padEnd(64, ' '))).toEqual({ phone: US });
    const error = refusal(() => normalizeDestination('+14155550100'.padEnd(65, ' ')));
    expect(error.code).toBe('invalid_number');
    expect(error.status).toBe(400);
  });

  it('refuses a phone that is not a string with invalid_number', () => {
    expect(refusal(() => normalizePhone(14155550100)).code).toBe('invalid_number');
    expect(refusal(() => normalizeDestination({ phone: 14155550100 })).code).toBe('invalid_number');
  });

  it('refuses a `to` that is neither a string nor an object with invalid_request', () => {
    expect(refusal(() => normalizeDestination(14155550100)).code).toBe('invalid_request');
    expect(refusal(() => normalizeDestination(null)).code).toBe('invalid_request');
    expect(refusal(() => normalizeDestination(undefined)).code).toBe('invalid_request');
  });
});

describe('normalizeDestination with email addresses', () => {
  it('lower-cases the domain and keeps the local part as given', () => {
    expect(normalizeDestination('Jane.Doe@Example.COM')).toEqual({ email: 'Jane.Doe@example.com' });
    expect(normalizeEmail('ops+otp@Mail.Example.co.uk')).toBe('ops+otp@mail.example.co.uk');
  });

  it.each([
    'jane@',
    '@example.com',
    'jane@example',
    'jane doe@example.com',
    'jane@@example.com',
    'jane@exa_mple.com',
    'jane@-example.com',
    'jane@example..com',
    'ja\u0000ne@example.com',
    `${'a'.repeat(65)}@example.com`,
  ])('refuses %j with invalid_request', (input) => {
    expect(refusal(() => normalizeDestination(input)).code).toBe('invalid_request');
  });

  it('accepts an address of 254 characters and refuses one of 255', () => {
    const address = (last: number) =>
      `j@${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(last)}.com`;
    expect(address(56)).toHaveLength(254);
    expect(normalizeEmail(address(56))).toBe(address(56));
    expect(address(57)).toHaveLength(255);
    expect(refusal(() => normalizeEmail(address(57))).code).toBe('invalid_request');
  });

  it('refuses an email that is not a string with invalid_request', () => {
    expect(refusal(() => normalizeDestination({ email: 42 })).code).toBe('invalid_request');
  });
});

describe('normalizeDestination with the object form', () => {
  it('normalises both a phone and an email', () => {
    expect(normalizeDestination({ phone: '+1 415 555 0100', email: 'jane@EXAMPLE.com' })).toEqual({
      phone: US,
      email: 'jane@example.com',
    });
  });

  it('returns only the fields that were given', () => {
    const emailOnly = normalizeDestination({ email: 'jane@example.com' });
    expect(emailOnly).toEqual({ email: 'jane@example.com' });
    expect('phone' in emailOnly).toBe(false);
    const phoneOnly = normalizeDestination({ phone: '(415) 555-0100' }, 'US');
    expect(phoneOnly).toEqual({ phone: US });
    expect('email' in phoneOnly).toBe(false);
  });

  it('refuses an empty object and an object of undefined fields with invalid_request', () => {
    expect(refusal(() => normalizeDestination({})).code).toBe('invalid_request');
    expect(refusal(() => normalizeDestination({ phone: undefined, email: undefined })).code).toBe(
      'invalid_request',
    );
  });

  it('refuses arrays with invalid_request', () => {
    expect(refusal(() => normalizeDestination([])).code).toBe('invalid_request');
    expect(refusal(() => normalizeDestination(['+14155550100'])).code).toBe('invalid_request');
  });

  it('refuses the whole object when one of its fields is invalid', () => {
    expect(
      refusal(() => normalizeDestination({ phone: '12345', email: 'jane@example.com' })).code,
    ).toBe('invalid_number');
    expect(refusal(() => normalizeDestination({ phone: '+14155550100', email: 'jane' })).code).toBe(
      'invalid_request',
    );
  });
});

describe('primaryDestination', () => {
  it('prefers the phone and masks it', () => {
    expect(primaryDestination({ phone: US, email: 'jane@example.com' })).toEqual({
      kind: 'phone',
      value: '+14155550100',
      masked: '+1********00',
    });
  });

  it('falls back to the email and masks it', () => {
    expect(primaryDestination({ email: 'jane.doe@example.com' })).toEqual({
      kind: 'email',
      value: 'jane.doe@example.com',
      masked: 'j***@e***.com',
    });
  });
});
