import { describe, expect, it } from 'vitest';
import { Keyring } from './keyring.js';
import { isVerificationId, newVerificationId, verificationShard } from './verificationId.js';

const destinationHash = new Keyring('a-test-secret-that-is-at-least-32-bytes-long').destinationHash(
  '+14155550100',
);

describe('newVerificationId', () => {
  it('returns an id that isVerificationId accepts and that starts with vf_', () => {
    const id = newVerificationId(destinationHash);
    expect(id.startsWith('vf_')).toBe(true);
    expect(id).toHaveLength(3 + 4 + 22);
    expect(isVerificationId(id)).toBe(true);
  });

  it('carries the first four characters of the destination hash as its shard', () => {
    const id = newVerificationId(destinationHash);
    expect(verificationShard(id)).toBe(destinationHash.slice(0, 4));
  });

  it('gives every id of one destination the same shard and a different random part', () => {
    const ids = Array.from({ length: 1000 }, () => newVerificationId(destinationHash));
    expect(new Set(ids).size).toBe(1000);
    expect(new Set(ids.map(verificationShard))).toEqual(new Set([destinationHash.slice(0, 4)]));
  });
});

describe('isVerificationId', () => {
  it.each([undefined, null, 42, {}, ['vf_AbCdEfGhIjKlMnOpQrStUvWxYz']])(
    'returns false for the non-string %j',
    (value) => {
      expect(isVerificationId(value)).toBe(false);
    },
  );

  it('returns false for ids that are too short or too long', () => {
    expect(isVerificationId('vf_')).toBe(false);
    expect(isVerificationId(`vf_${'a'.repeat(25)}`)).toBe(false);
    expect(isVerificationId(`vf_${'a'.repeat(27)}`)).toBe(false);
    expect(isVerificationId(`vf_${'a'.repeat(26)}`)).toBe(true);
  });

  it('returns false for characters outside base64url and for another prefix', () => {
    expect(isVerificationId(`vf_${'a'.repeat(25)}!`)).toBe(false);
    expect(isVerificationId(`vf_${'a'.repeat(25)}=`)).toBe(false);
    expect(isVerificationId(`vf_${'a'.repeat(25)}+`)).toBe(false);
    expect(isVerificationId(`vf_${'a'.repeat(25)}\n`)).toBe(false);
    expect(isVerificationId(`ae_${'a'.repeat(26)}`)).toBe(false);
    expect(isVerificationId(`VF_${'a'.repeat(26)}`)).toBe(false);
  });
});
