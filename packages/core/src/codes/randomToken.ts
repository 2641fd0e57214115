import { randomFillSync } from 'node:crypto';

const POOL_SIZE = 4_096;
const pool = Buffer.alloc(POOL_SIZE);
let offset = POOL_SIZE;

/**
 * @internal
 * `bytes` random bytes as base64url, from Node's CSPRNG. Entropy is drawn 4 KiB at a time:
 * one `randomFillSync` per call costs more than everything else an audit append does, and
 * every lifecycle step writes one. (`crypto.randomUUID` pools the same way.)
 */
export function randomToken(bytes = 16): string {
  if (offset + bytes > POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  const token = pool.toString('base64url', offset, offset + bytes);
  // Never hand out the same bytes twice.
  pool.fill(0, offset, offset + bytes);
  offset += bytes;
  return token;
}
