import { randomToken } from './randomToken.js';

const ID = /^vf_[A-Za-z0-9_-]{4}[A-Za-z0-9_-]{22}$/;

/**
 * @internal
 * A new verification id: `vf_` + a 4-character shard + 128 random bits (base64url).
 *
 * The shard is derived from the destination's keyed hash, so a store can keep a verification and
 * the per-destination counters it touches together (one Redis Cluster slot, one atomic script)
 * knowing only the id. It reveals nothing about the destination without the server secret.
 * @see OWASP ASVS 5 V11.5.1 (identifiers of at least 128 bits from a CSPRNG)
 */
export function newVerificationId(destinationHash: string): string {
  return `vf_${destinationHash.slice(0, 4)}${randomToken(16)}`;
}

/** True when `value` has the shape of a verification id. */
export function isVerificationId(value: unknown): value is string {
  return typeof value === 'string' && ID.test(value);
}

/**
 * The shard of a verification id: the part stores use as a hash tag (`{shard}`) so that a
 * verification and its destination's counters live in one Redis Cluster slot.
 * @example verificationShard('vf_Ab3xQ0…') // 'Ab3x'
 */
export function verificationShard(id: string): string {
  return id.slice(3, 7);
}
