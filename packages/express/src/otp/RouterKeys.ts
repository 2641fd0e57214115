import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { type SecretOption, secretKeys } from '@checkpoint/core';

// Domain separation: the router's keys are derived from the secret, so reusing the value given
// to createCheckpoint is safe (no hash made here can ever equal one core makes).
const DOMAIN = 'checkpoint/express otpRouter v1';

/**
 * @internal
 * The router's keyed hashes: counter keys (so Redis never holds an IP address or a user id) and
 * the keys of decoy verification ids. The first secret makes new values; every secret is tried
 * when reading a decoy id, so rotating the secret does not break decoys already handed out.
 */
export class RouterKeys {
  // KeyObjects: an HMAC under a raw Buffer key costs about 10 µs on Node 24, under a KeyObject 2.
  private readonly keys: readonly KeyObject[];

  constructor(secret: SecretOption | undefined) {
    this.keys = normalise(secret).map((key) => createSecretKey(hmac(key, DOMAIN)));
  }

  /** A rate-limit key for `parts` (e.g. `['ip', address]`): `x.<kind>:<132-bit keyed hash>`. */
  counterKey(kind: string, ...parts: string[]): string {
    return `x.${kind}:${hmac(this.current, kind, ...parts)
      .toString('base64url')
      .slice(0, 22)}`;
  }

  /** A stable 4-character shard for an unknown account, like the one a real id takes from its destination. */
  decoyShard(tenantId: string, identifier: string): string {
    return hmac(this.current, 'decoy-shard', tenantId, identifier)
      .toString('base64url')
      .slice(0, 4);
  }

  /**
   * AES-128 keys for a decoy id bound to a tenant, a subject, a purpose and a shard (each '' when
   * not bound); the first is current.
   */
  decoyCipherKeys(
    binding: { tenantId: string; subject: string; purpose: string },
    shard: string,
  ): Buffer[] {
    const { tenantId, subject, purpose } = binding;
    return this.keys.map((key) =>
      hmac(key, 'decoy-id', tenantId, subject, purpose, shard).subarray(0, 16),
    );
  }

  private get current(): KeyObject {
    return this.keys[0] as KeyObject;
  }
}

function hmac(key: Buffer | KeyObject, ...parts: string[]): Buffer {
  return createHmac('sha256', key).update(parts.join('\0')).digest();
}

function normalise(secret: SecretOption | undefined): Buffer[] {
  return secretKeys(secret, {
    missing:
      'otpRouter requires `secret`: a string of at least 32 bytes, or [{ id, key }, …] to rotate. The value given to createCheckpoint works (the router derives its own keys).',
  }).map(({ key }) => key);
}
