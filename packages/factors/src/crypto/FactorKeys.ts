import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { type SecretOption, secretKeys } from '@checkpoint/core';

interface DerivedKey {
  id: string;
  seal: Buffer;
  hash: Buffer;
  cookie: Buffer;
}

const VERSION = 'v1';
// 22 base64url characters: 132 bits of HMAC-SHA256, as core keeps its code hashes.
const HASH_CHARS = 22;

function derive(key: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), `checkpoint/factors/${purpose}`, 32));
}

/**
 * @internal
 * The keys of this package, each derived with HKDF-SHA256 from one server secret (so the same
 * `secret` as `createCheckpoint` can be passed): one to seal TOTP secrets (AES-256-GCM), one for
 * keyed hashes of recovery codes, one to sign device cookies. The first secret is current; the
 * others still open, verify and match, so secrets can be rotated.
 */
export class FactorKeys {
  private readonly keys: readonly DerivedKey[];

  constructor(secret: SecretOption | undefined) {
    this.keys = secretKeys(secret, {
      missing:
        'createFactors requires a `secret`: a string of at least 32 bytes (e.g. CHECKPOINT_SECRET), or [{ id, key }, …] to rotate',
    }).map(({ id, key }) => ({
      id,
      seal: derive(key, 'totp-secret'),
      hash: derive(key, 'recovery-code'),
      cookie: derive(key, 'device-cookie'),
    }));
  }

  private get current(): DerivedKey {
    return this.keys[0] as DerivedKey;
  }

  /** `v1.<kid>.<iv>.<ciphertext‖tag>`; `context` is authenticated too, so a sealed value moved to another owner or record does not open. */
  seal(plain: Uint8Array, context: string): string {
    const { id, seal } = this.current;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', seal, iv);
    cipher.setAAD(Buffer.from(context));
    const body = Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return [VERSION, id, iv.toString('base64url'), body.toString('base64url')].join('.');
  }

  /** The plain bytes, or undefined when the key id is unknown or the value or context was altered. */
  open(sealed: string, context: string): Uint8Array | undefined {
    const [version, kid, iv, body, extra] = sealed.split('.');
    if (version !== VERSION || extra !== undefined || iv === undefined || body === undefined) {
      return undefined;
    }
    const key = this.keys.find((candidate) => candidate.id === kid);
    if (key === undefined) return undefined;
    const bytes = Buffer.from(body, 'base64url');
    if (bytes.length < 17) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key.seal, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(bytes.subarray(bytes.length - 16));
      return Buffer.concat([
        decipher.update(bytes.subarray(0, bytes.length - 16)),
        decipher.final(),
      ]);
    } catch {
      return undefined;
    }
  }

  /** True when `sealed` was made with an older key (re-seal it on the next write). */
  isStale(sealed: string): boolean {
    return sealed.split('.')[1] !== this.current.id;
  }

  /** The stored form of a recovery code under the current key. */
  hashCode(context: string, code: string): string {
    return this.hashUnder(this.current, context, code);
  }

  /** The stored forms `code` would have under every configured key. */
  codeCandidates(context: string, code: string): string[] {
    return this.keys.map((key) => this.hashUnder(key, context, code));
  }

  private hashUnder(key: DerivedKey, context: string, code: string): string {
    const mac = createHmac('sha256', key.hash)
      .update(`${context}\u0000${code}`)
      .digest('base64url');
    return `${key.id}.${mac.slice(0, HASH_CHARS)}`;
  }

  /** A cookie signature under the current key: `<kid>.<mac>`. */
  sign(payload: string): string {
    const { id, cookie } = this.current;
    return `${id}.${createHmac('sha256', cookie).update(payload).digest('base64url')}`;
  }

  /** The signature `payload` would carry under the key `kid`, or undefined for an unknown key. */
  signatureUnder(kid: string, payload: string): string | undefined {
    const key = this.keys.find((candidate) => candidate.id === kid);
    return key === undefined
      ? undefined
      : `${key.id}.${createHmac('sha256', key.cookie).update(payload).digest('base64url')}`;
  }

  /** A short keyed digest (e.g. to name a user's cookie without showing the user id). */
  digest(kind: string, value: string): string {
    return createHmac('sha256', this.current.cookie)
      .update(`${kind}\u0000${value}`)
      .digest('base64url')
      .slice(0, 12);
  }
}
