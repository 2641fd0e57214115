import { describe, expect, it } from 'vitest';
import { maskedDestination, maskText } from './maskText.js';

describe('maskText', () => {
  it.each([
    ['card 4242 4242 4242 4242 changed', 'card ************4242 changed'],
    ['card 4242-4242-4242-4242', 'card ************4242'],
    ['call +1 (415) 555-0100 now', 'call +*********00 now'],
    ['from jane.doe@example.com.', 'from j***@e***.com.'],
    ['account 12345678', 'account ******78'],
    ['invoice 123456 of 2026', 'invoice 123456 of 2026'],
  ])('masks %j as %j', (text, masked) => {
    expect(maskText(text)).toBe(masked);
  });

  it('masks both parts of a destination', () => {
    expect(maskedDestination({ phone: '+14155550100', email: 'jane@example.com' })).toBe(
      '+*********00 j***@e***.com',
    );
  });
});
