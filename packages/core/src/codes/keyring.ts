import { createHmac, createSecretKey, type KeyObject, timingSafeEqual } from 'node:crypto';

/** One server secret with the id under which hashes made with it are stored. */
export interface SecretKey {
  /** Short identifier kept next to each hash, e.g. `'2026-11'`. Letters, digits, `_` and `-`. */
  id: string;
  /** At least 32 bytes (a string is taken as UTF-8). */
  key: string | Uint8Array;
}

/** The `secret` option: one secret, or a list whose first entry is current and the rest still verify. */
export type SecretOption = string | Uint8Array | readonly SecretKey[];

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const MIN_KEY_BYTES = 32;
// 22 base64url characters: 132 bits of HMAC-SHA256, truncated as NIST SP 800-107 allows for MACs.
const HASH_CHARS = 22;

/**
 * @internal
 * Keyed hashing of codes and destinations under rotating server secrets.
 *
 * A code is stored only as `kid.base64url(HMAC-SHA256(key, "code\0" + verificationId + "\0" + code))`.
 * Binding the hash to the verification id means a code can never match another verification.
 */
export class Keyring {
  // KeyObjects: an HMAC under a raw Buffer key costs about 10 µs on Node 24, under a KeyObject 2.
  private readonly keys: ReadonlyArray<{ id: string; key: KeyObject }>;

  constructor(secret: SecretOption | undefined) {
    this.keys = secretKeys(secret).map(({ id, key }) => ({ id, key: createSecretKey(key) }));
  }

  /** The id of the key new hashes are made with. */
  get currentKeyId(): string {
    return this.current.id;
  }

  private get current(): { id: string; key: KeyObject } {
    // secretKeys guarantees at least one key.
    return this.keys[0] as { id: string; key: KeyObject };
  }

  /** The stored form of `code` for verification `id`, under the current key. */
  hashCode(verificationId: string, code: string): string {
    const { id, key } = this.current;
    return `${id}.${hmac(key, 'code', verificationId, code).slice(0, HASH_CHARS)}`;
  }

  /**
   * The stored forms `code` would have under every configured key. A store compares the
   * verification's hashes against these, so a check stays one store operation after rotation.
   */
  codeCandidates(verificationId: string, code: string): string[] {
    return this.keys.map(
      ({ id, key }) => `${id}.${hmac(key, 'code', verificationId, code).slice(0, HASH_CHARS)}`,
    );
  }

  /**
   * A keyed, stable digest of a destination (E.164 number or lower-cased email), used for
   * velocity and failure counters and in audit events instead of the plain value.
   * Made with the current key: rotating the current key starts these counters afresh.
   */
  destinationHash(destination: string): string {
    return hmac(this.current.key, 'destination', destination).slice(0, HASH_CHARS);
  }

  /** A keyed digest of an arbitrary counter subject (an IP address, for example). */
  subjectHash(kind: string, value: string): string {
    return hmac(this.current.key, kind, value).slice(0, 22);
  }
}

function hmac(key: KeyObject, ...parts: string[]): string {
  return createHmac('sha256', key).update(parts.join('\0')).digest('base64url');
}

/** Constant-time equality of two strings (false, in constant time for equal lengths, when they differ). */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  if (left.length !== right.length) return false;
  return timingSafeEqual(left, right);
}

/**
 * @internal
 * The `secret` option as a list of `{ id, key }` (first = current), each key at least 32 bytes;
 * a TypeError saying what to pass otherwise. Shared by every package that takes a `secret`.
 * @param missing the message when no secret was given at all
 */
export function secretKeys(
  secret: SecretOption | undefined,
  {
    missing = 'createCheckpoint requires a `secret`: a string of at least 32 bytes (e.g. from CHECKPOINT_SECRET), or [{ id, key }, …] to rotate',
  }: { missing?: string } = {},
): Array<{ id: string; key: Buffer }> {
  if (secret === undefined || secret === null) throw new TypeError(missing);
  const list: readonly unknown[] | undefined =
    typeof secret === 'string' || secret instanceof Uint8Array
      ? [{ id: 'k0', key: secret }]
      : Array.isArray(secret)
        ? (secret as readonly unknown[])
        : undefined;
  if (list === undefined || list.length === 0) {
    throw new TypeError(
      '`secret` must be a string, a Uint8Array, or a non-empty array of { id, key }',
    );
  }
  const seen = new Set<string>();
  return list.map((item, index) => {
    const entry = (typeof item === 'object' && item !== null ? item : {}) as Partial<SecretKey>;
    if (typeof entry.id !== 'string' || !KEY_ID.test(entry.id)) {
      throw new TypeError(`secret[${index}].id must match ${KEY_ID.source}`);
    }
    if (seen.has(entry.id)) throw new TypeError(`secret key id '${entry.id}' is used twice`);
    seen.add(entry.id);
    const key =
      typeof entry.key === 'string'
        ? Buffer.from(entry.key, 'utf8')
        : entry.key instanceof Uint8Array
          ? Buffer.from(entry.key)
          : undefined;
    if (key === undefined || key.length < MIN_KEY_BYTES) {
      throw new TypeError(
        `secret '${entry.id}' must be at least ${MIN_KEY_BYTES} bytes; generate one with: node -e "console.log(require('node:crypto').randomBytes(32).toString('base64url'))"`,
      );
    }
    return { id: entry.id, key };
  });
}
