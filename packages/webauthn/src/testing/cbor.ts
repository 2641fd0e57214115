/**
 * A CBOR value {@link encodeCbor} writes: the few types WebAuthn attestation objects and COSE
 * keys use. Maps keep insertion order (COSE keys are integer-keyed, so use a `Map`).
 *
 * @example const value: CborValue = new Map<CborValue, CborValue>([[1, 2], [3, -7]]);
 * @see RFC 8949 §3 (major types)
 */
export type CborValue =
  | number
  | string
  | Uint8Array
  | readonly CborValue[]
  | ReadonlyMap<CborValue, CborValue>
  | { readonly [key: string]: CborValue };

/**
 * Encodes integers (safe range), text, byte strings, arrays and maps as definite-length CBOR.
 * Enough for a "none" attestation object and an EC2 COSE key; nothing more.
 *
 * @example encodeCbor({ fmt: 'none', attStmt: {}, authData }); // Uint8Array
 * @see RFC 8949 §3; W3C WebAuthn Level 3 §6.5 (attestation object)
 */
export function encodeCbor(value: CborValue): Uint8Array<ArrayBuffer> {
  const chunks: Uint8Array[] = [];
  write(value, chunks);
  return new Uint8Array(Buffer.concat(chunks));
}

function write(value: CborValue, out: Uint8Array[]): void {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new TypeError(`encodeCbor: ${value} is not an integer`);
    if (value >= 0) out.push(head(0, value));
    else out.push(head(1, -1 - value));
  } else if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    out.push(head(3, bytes.length), bytes);
  } else if (value instanceof Uint8Array) {
    out.push(head(2, value.length), value);
  } else if (Array.isArray(value)) {
    out.push(head(4, value.length));
    for (const item of value as readonly CborValue[]) write(item, out);
  } else {
    const entries: [CborValue, CborValue][] =
      value instanceof Map
        ? [...(value as ReadonlyMap<CborValue, CborValue>).entries()]
        : Object.entries(value as { readonly [key: string]: CborValue });
    out.push(head(5, entries.length));
    for (const [key, item] of entries) {
      write(key, out);
      write(item, out);
    }
  }
}

/** The initial byte (major type, additional info) and the argument's bytes (RFC 8949 §3). */
function head(major: number, argument: number): Uint8Array {
  const type = major << 5;
  if (argument < 24) return Uint8Array.of(type | argument);
  if (argument < 0x100) return Uint8Array.of(type | 24, argument);
  if (argument < 0x10000) return Uint8Array.of(type | 25, argument >> 8, argument & 0xff);
  if (argument < 0x100000000) {
    const bytes = Buffer.alloc(5);
    bytes[0] = type | 26;
    bytes.writeUInt32BE(argument, 1);
    return bytes;
  }
  const bytes = Buffer.alloc(9);
  bytes[0] = type | 27;
  bytes.writeBigUInt64BE(BigInt(argument), 1);
  return bytes;
}
