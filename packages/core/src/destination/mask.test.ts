import { describe, expect, it } from 'vitest';
import { maskEmail, maskPhone } from './mask.js';

describe('maskPhone', () => {
  it('keeps the calling code and the last two digits of a US number', () => {
    expect(maskPhone('+14155550100', '1')).toBe('+1********00');
  });

  it('keeps the calling code and the last two digits of a UK number', () => {
    expect(maskPhone('+447400123456', '44')).toBe('+44********56');
  });

  it('hides every digit but the last two when no calling code is given', () => {
    expect(maskPhone('+14155550100')).toBe('+*********00');
  });

  it('keeps the length of the number', () => {
    const masked = maskPhone('+4930123456789', '49');
    expect(masked).toHaveLength('+4930123456789'.length);
    expect(masked).toBe('+49*********89');
  });

  it('shows no digit other than the calling code and the last two', () => {
    const masked = maskPhone('+14155550199', '1');
    expect(masked.replace(/^\+1/, '').replace(/\d{2}$/, '')).toMatch(/^\*+$/);
    expect(masked).not.toContain('415');
  });
});

describe('maskEmail', () => {
  it('keeps the first letter of the local part and domain, and the top-level domain', () => {
    expect(maskEmail('jane.doe@example.com')).toBe('j***@e***.com');
  });

  it('keeps only the last label of a multi-label domain', () => {
    expect(maskEmail('ops@mail.example.co.uk')).toBe('o***@m***.uk');
  });

  it('masks a domain without a dot entirely but its first letter', () => {
    expect(maskEmail('root@localhost')).toBe('r***@l***');
  });

  it('returns *** when there is no local part', () => {
    expect(maskEmail('@example.com')).toBe('***');
    expect(maskEmail('no-at-sign')).toBe('***');
  });

  it('does not reveal the local part or the domain name', () => {
    const masked = maskEmail('jane.doe@example.com');
    expect(masked).not.toContain('jane');
    expect(masked).not.toContain('example');
  });
});
