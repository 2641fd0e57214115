/**
 * @internal
 * The few DER encoders the test certificates need (ITU-T X.690 §8, §10): definite lengths,
 * positive integers, object identifiers, strings, times, and tagged values. Enough to write an
 * X.509 v3 certificate; nothing more.
 */
export const der = {
  sequence: (...items: Uint8Array[]) => tagged(0x30, concat(items)),
  set: (...items: Uint8Array[]) => tagged(0x31, concat(items)),
  boolean: (value: boolean) => tagged(0x01, Uint8Array.of(value ? 0xff : 0x00)),
  /** A non-negative integer from its big-endian bytes (a 0x00 is prefixed when the top bit is set). */
  integer: (bytes: Uint8Array) => {
    const first = bytes.findIndex((byte) => byte !== 0);
    const trimmed = first === -1 ? Uint8Array.of(0) : bytes.subarray(first);
    return tagged(0x02, (trimmed[0] ?? 0) & 0x80 ? concat([Uint8Array.of(0), trimmed]) : trimmed);
  },
  oid: (dotted: string) => tagged(0x06, oidBody(dotted)),
  octetString: (bytes: Uint8Array) => tagged(0x04, bytes),
  /** A BIT STRING of whole bytes, or with `unusedBits` in the last one. */
  bitString: (bytes: Uint8Array, unusedBits = 0) =>
    tagged(0x03, concat([Uint8Array.of(unusedBits), bytes])),
  utf8String: (text: string) => tagged(0x0c, Buffer.from(text, 'utf8')),
  printableString: (text: string) => tagged(0x13, Buffer.from(text, 'ascii')),
  /** UTCTime before 2050, GeneralizedTime from then on (RFC 5280 §4.1.2.5). */
  time: (date: Date) => {
    const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
    return date.getUTCFullYear() < 2050
      ? tagged(0x17, Buffer.from(`${iso.slice(2)}Z`, 'ascii'))
      : tagged(0x18, Buffer.from(`${iso}Z`, 'ascii'));
  },
  /** A context-specific tag: `[n] EXPLICIT` when constructed, `[n] IMPLICIT` primitive otherwise. */
  context: (n: number, content: Uint8Array, constructed = true) =>
    tagged((constructed ? 0xa0 : 0x80) | n, content),
};

function tagged(tag: number, content: Uint8Array): Uint8Array {
  return concat([Uint8Array.of(tag), length(content.length), content]);
}

function length(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  const bytes: number[] = [];
  for (let rest = n; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

function oidBody(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map(Number);
  const [first = 0, second = 0, ...rest] = arcs;
  const out: number[] = [];
  for (const arc of [first * 40 + second, ...rest]) {
    const chunk = [arc & 0x7f];
    for (let value = Math.floor(arc / 128); value > 0; value = Math.floor(value / 128)) {
      chunk.unshift((value & 0x7f) | 0x80);
    }
    out.push(...chunk);
  }
  return Uint8Array.from(out);
}

function concat(items: readonly Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(items));
}
