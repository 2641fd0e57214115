const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;

/** @internal True for a non-empty base64url string of at most `maxLength` characters. */
export function isBase64Url(value: unknown, maxLength: number): value is string {
  return typeof value === 'string' && value.length <= maxLength && BASE64URL.test(value);
}

/** @internal Decodes base64url (padding tolerated) to bytes. */
export function fromBase64Url(value: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(value, 'base64url'));
}

/** @internal Encodes bytes (or UTF-8 text) as unpadded base64url. */
export function toBase64Url(value: Uint8Array | string): string {
  return Buffer.from(value).toString('base64url');
}

/** @internal base64url without padding, for comparing values that may or may not carry it. */
export function unpadded(value: string): string {
  return value.replace(/=+$/, '');
}
