import { isIPv4, isIPv6 } from 'node:net';
import type { Destination } from '../destination/normalizeDestination.js';

/** @internal Where a number sits, for the prefix and country counters. */
export interface NumberScopes {
  /** The number without its last `prefixDigits` digits, e.g. `+4479111` (a block of 10,000 numbers). */
  prefix: string;
  /** ISO 3166-1 alpha-2, or `+<calling code>` for non-geographic numbers (`+882`). */
  country: string;
}

/**
 * @internal
 * The prefix block and country of a phone destination. Sequential-number attacks walk one block;
 * pumping partners own whole ranges, so blocks are where their traffic shows.
 */
export function scopesOf(
  phone: NonNullable<Destination['phone']>,
  prefixDigits: number,
): NumberScopes {
  const digits = phone.e164.length - 1;
  const keep = Math.max(phone.callingCode.length + 1, digits - prefixDigits);
  return {
    prefix: phone.e164.slice(0, 1 + Math.min(digits, keep)),
    country: phone.country ?? `+${phone.callingCode}`,
  };
}

/**
 * @internal
 * The network of a client address: its IPv4 /24 (`198.51.100`) or IPv6 /48 (`2001:db8:1`), the
 * ranges a host or a data centre sends from; `undefined` for anything that is not an IP address.
 * An IPv4-mapped IPv6 address is its IPv4 network.
 */
export function networkOf(ip: string | undefined): string | undefined {
  if (ip === undefined) return undefined;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1];
  const v4 = mapped ?? ip;
  if (isIPv4(v4)) return v4.slice(0, v4.lastIndexOf('.'));
  if (!isIPv6(ip)) return undefined;
  const [head = '', tail = ''] = ip.toLowerCase().split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const groups = ip.includes('::')
    ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return groups
    .slice(0, 3)
    .map((group) => Number.parseInt(group, 16).toString(16))
    .join(':');
}
