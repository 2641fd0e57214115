import { createCipheriv, createDecipheriv, randomFillSync, timingSafeEqual } from 'node:crypto';

/** @internal What a decoy id carries, readable only with the router's secret. */
export interface DecoyFacts {
  /** Epoch milliseconds, as a real verification's `expiresAt`. */
  expiresAt: number;
  /** The tenant's `maxAttempts` when the decoy was issued (a real record keeps its own too). */
  maxAttempts: number;
}

const ID = /^vf_([A-Za-z0-9_-]{4})([A-Za-z0-9_-]{22})$/;
const TAG = Buffer.alloc(5);

/**
 * @internal
 * A decoy verification id: `vf_` + shard + one AES-128 block, base64url — the same alphabet,
 * length and distribution as a real id (`vf_` + shard + 128 random bits).
 *
 * The block encrypts `expiresAt (6 bytes) ‖ maxAttempts (1) ‖ random (4) ‖ zero tag (5)` under a
 * key derived from the router secret, the tenant, the subject and the shard. Without the secret
 * the block is indistinguishable from random bytes (AES is a pseudorandom permutation); with it,
 * the 40-bit zero tag tells a decoy from a real id (a real id passes by chance once in 2^40), and
 * binding the key to tenant, subject and shard makes a decoy checked under another session — or
 * with its shard edited — read as an unknown id, exactly as a real one would.
 */
export function encodeDecoyId(key: Buffer, shard: string, facts: DecoyFacts): string {
  const block = Buffer.alloc(16);
  block.writeUIntBE(facts.expiresAt, 0, 6);
  block.writeUInt8(facts.maxAttempts, 6);
  randomFillSync(block, 7, 4);
  const cipher = createCipheriv('aes-128-ecb', key, null).setAutoPadding(false);
  const sealed = Buffer.concat([cipher.update(block), cipher.final()]);
  return `vf_${shard}${sealed.toString('base64url')}`;
}

/** @internal The shard of an id shaped like a verification id, or undefined. */
export function idShard(id: string): string | undefined {
  return ID.exec(id)?.[1];
}

/** @internal The facts of a decoy id sealed under one of `keys`, or undefined for any other id. */
export function decodeDecoyId(keys: readonly Buffer[], id: string): DecoyFacts | undefined {
  const match = ID.exec(id);
  const body = match?.[2];
  if (body === undefined) return undefined;
  const sealed = Buffer.from(body, 'base64url');
  // Two spellings of the last character decode to the same bytes; a real id has only one.
  if (sealed.length !== 16 || sealed.toString('base64url') !== body) return undefined;
  for (const key of keys) {
    const decipher = createDecipheriv('aes-128-ecb', key, null).setAutoPadding(false);
    const block = Buffer.concat([decipher.update(sealed), decipher.final()]);
    if (timingSafeEqual(block.subarray(11), TAG)) {
      return { expiresAt: block.readUIntBE(0, 6), maxAttempts: block.readUInt8(6) };
    }
  }
  return undefined;
}
