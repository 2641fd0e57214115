import { describe, expect, it } from 'vitest';
import { wwwAuthenticate } from './wwwAuthenticate.js';

describe('wwwAuthenticate', () => {
  it('builds the RFC 9470 challenge with acr_values in order of preference and max_age', () => {
    expect(
      wwwAuthenticate({
        acrValues: ['phrh', 'phr'],
        maxAge: 300,
        description: 'billing_change needs AAL3',
      }),
    ).toBe(
      'Bearer error="insufficient_user_authentication", error_description="billing_change needs AAL3", acr_values="phrh phr", max_age="300"',
    );
  });

  it('escapes quotes and backslashes and drops line breaks, so a value cannot break the header', () => {
    expect(wwwAuthenticate({ acrValues: [], description: 'say "hi"\\\r\nX-Evil: 1' })).toBe(
      'Bearer error="insufficient_user_authentication", error_description="say \\"hi\\"\\\\  X-Evil: 1"',
    );
  });
});
