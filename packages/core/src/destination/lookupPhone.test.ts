import { describe, expect, it } from 'vitest';
import { CheckpointError } from '../errors/CheckpointError.js';
import { lookupPhone } from './lookupPhone.js';

describe('lookupPhone', () => {
  it('reports a US number as valid, in the US, fixed line or mobile', () => {
    // NANP numbers do not distinguish mobile from fixed lines; the metadata says so.
    expect(lookupPhone('+14155550100')).toEqual({
      e164: '+14155550100',
      country: 'US',
      lineType: 'fixed_line_or_mobile',
      valid: true,
    });
  });

  it('reports a UK 74 number as a mobile in GB', () => {
    expect(lookupPhone('+447400123456')).toEqual({
      e164: '+447400123456',
      country: 'GB',
      lineType: 'mobile',
      valid: true,
    });
  });

  it('reports a UK 20 number as a fixed line', () => {
    expect(lookupPhone('+44 20 7946 0958')).toMatchObject({
      e164: '+442079460958',
      lineType: 'fixed_line',
    });
  });

  it('reports a US 800 number as toll free', () => {
    expect(lookupPhone('+18005550100')).toEqual({
      e164: '+18005550100',
      country: 'US',
      lineType: 'toll_free',
      valid: true,
    });
  });

  it('reports a US 900 number as premium rate', () => {
    expect(lookupPhone('+19005550100')).toMatchObject({ lineType: 'premium_rate', valid: true });
  });

  it('reads a national number in the given default country', () => {
    expect(lookupPhone('07400 123456', 'GB')).toMatchObject({
      e164: '+447400123456',
      country: 'GB',
    });
  });

  it('reports a parseable but unassigned number as invalid with an unknown line type', () => {
    expect(lookupPhone('+15555555555')).toEqual({
      e164: '+15555555555',
      country: undefined,
      lineType: 'unknown',
      valid: false,
    });
  });

  it('invents no carrier, SIM-swap or reassignment facts', () => {
    expect(Object.keys(lookupPhone('+447400123456')).sort()).toEqual([
      'country',
      'e164',
      'lineType',
      'valid',
    ]);
  });

  it.each([42, null, undefined, {}, '', '+1'.padEnd(65, '0')])(
    'throws invalid_number for %j',
    (input) => {
      expect(() => lookupPhone(input)).toThrow(CheckpointError);
      expect(() => lookupPhone(input)).toThrow(expect.objectContaining({ code: 'invalid_number' }));
    },
  );

  it('throws invalid_number for text that is not a phone number at all', () => {
    expect(() => lookupPhone('abc')).toThrow(expect.objectContaining({ code: 'invalid_number' }));
  });
});
