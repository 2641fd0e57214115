import { describe, expect, it } from 'vitest';
import { staticAsnResolver } from '../index.js';

describe('staticAsnResolver', () => {
  const resolver = staticAsnResolver([
    { cidr: '198.51.100.0/24', asn: 64_501 },
    { cidr: '198.51.100.128/25', asn: 64_502 },
    { cidr: '2001:db8::/32', asn: 64_503 },
    { cidr: '2001:db8:1::/48', asn: 64_504 },
  ]);

  it('finds the most specific range holding an address', () => {
    expect(resolver.resolve('198.51.100.7')).toBe(64_501);
    expect(resolver.resolve('198.51.100.200')).toBe(64_502);
    expect(resolver.resolve('2001:db8:2::1')).toBe(64_503);
    expect(resolver.resolve('2001:db8:1:ffff::9')).toBe(64_504);
  });

  it('answers undefined for unknown or malformed addresses', () => {
    expect(resolver.resolve('203.0.113.1')).toBeUndefined();
    expect(resolver.resolve('2001:db9::1')).toBeUndefined();
    expect(resolver.resolve('not an ip')).toBeUndefined();
  });

  it('refuses malformed ranges at construction', () => {
    expect(() => staticAsnResolver([{ cidr: '198.51.100.0', asn: 1 }])).toThrow(TypeError);
    expect(() => staticAsnResolver([{ cidr: '198.51.100.0/33', asn: 1 }])).toThrow(TypeError);
    expect(() => staticAsnResolver([{ cidr: '198.51.100.0/24', asn: -1 }])).toThrow(TypeError);
  });
});
