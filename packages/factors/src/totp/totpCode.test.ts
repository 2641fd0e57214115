// RFC 6238 Appendix B: the published test vectors, for SHA-1, SHA-256 and SHA-512, 8 digits, 30 s.
import { describe, expect, it } from 'vitest';
import { totpCode } from './totpCode.js';

const SECRETS = {
  sha1: Buffer.from('12345678901234567890'),
  sha256: Buffer.from('12345678901234567890123456789012'),
  sha512: Buffer.from('1234567890123456789012345678901234567890123456789012345678901234'),
} as const;

const VECTORS: Array<[number, string, string, string]> = [
  [59, '94287082', '46119246', '90693936'],
  [1111111109, '07081804', '68084774', '25091201'],
  [1111111111, '14050471', '67062674', '99943326'],
  [1234567890, '89005924', '91819424', '93441116'],
  [2000000000, '69279037', '90698825', '38618901'],
  [20000000000, '65353130', '77737706', '47863826'],
];

describe('totpCode (RFC 6238 test vectors)', () => {
  it.each(VECTORS)(
    'at T = %i s gives %s (SHA-1), %s (SHA-256), %s (SHA-512)',
    async (seconds, sha1, sha256, sha512) => {
      const at = seconds * 1000;
      expect(await totpCode({ secret: SECRETS.sha1, at, digits: 8 })).toBe(sha1);
      expect(await totpCode({ secret: SECRETS.sha256, at, digits: 8, algorithm: 'sha256' })).toBe(
        sha256,
      );
      expect(await totpCode({ secret: SECRETS.sha512, at, digits: 8, algorithm: 'sha512' })).toBe(
        sha512,
      );
    },
  );
});
