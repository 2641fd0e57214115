import { isIP } from 'node:net';

const SAFE = /^[A-Za-z0-9_.:-]{1,64}$/;
// Seven digits or more in a row, with or without separators: a phone number, never a label.
const LONG_DIGITS = /\d[\d ().-]{5,}\d/;

/**
 * @internal
 * Turns event fields into label values that are safe to expose: only short identifier-like text,
 * never anything holding an address (`@`), an IP or a run of seven digits, and at most
 * `maxValues` distinct values per label (then `other`), so a label can neither leak a
 * destination nor grow without bound.
 */
export class LabelValues {
  private readonly seen = new Map<string, Set<string>>();

  constructor(private readonly maxValues: number) {}

  value(label: string, raw: unknown): string {
    if (raw === undefined || raw === null || raw === '') return '';
    const text = typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : raw;
    if (
      typeof text !== 'string' ||
      !SAFE.test(text) ||
      LONG_DIGITS.test(text) ||
      isIP(text) !== 0
    ) {
      return 'other';
    }
    let values = this.seen.get(label);
    if (values === undefined) {
      values = new Set();
      this.seen.set(label, values);
    }
    if (values.has(text)) return text;
    if (values.size >= this.maxValues) return 'other';
    values.add(text);
    return text;
  }
}
