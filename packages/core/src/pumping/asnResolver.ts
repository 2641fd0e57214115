import { isIP } from 'node:net';

/**
 * Tells which autonomous system announces an IP address (a MaxMind or IPinfo database, a
 * routing-table dump, …), so that per-ASN send caps work when the app does not pass
 * `context.asn` itself: `createCheckpoint({ asnResolver })` fills it in before velocity caps.
 */
export interface AsnResolver {
  /** The AS number announcing `ip`, or `undefined` when unknown. */
  resolve(ip: string): Promise<number | undefined> | number | undefined;
}

/** One announced range of {@link staticAsnResolver}. */
export interface AsnRange {
  /** CIDR notation, IPv4 (`'198.51.100.0/24'`) or IPv6 (`'2001:db8::/32'`). */
  cidr: string;
  asn: number;
}

interface ParsedRange {
  network: bigint;
  mask: bigint;
  bits: number;
  v6: boolean;
  asn: number;
}

/**
 * An {@link AsnResolver} from a fixed list of CIDR ranges; the most specific range wins.
 * For tests, simulations and small deployments; production apps plug in an IP-to-ASN database.
 *
 * @example
 * createCheckpoint({ secret, channels, asnResolver: staticAsnResolver([{ cidr: '198.51.100.0/24', asn: 64500 }]) });
 */
export function staticAsnResolver(ranges: readonly AsnRange[]): AsnResolver {
  if (!Array.isArray(ranges))
    throw new TypeError('staticAsnResolver requires an array of { cidr, asn }');
  const parsed = ranges.map(parseRange).sort((a, b) => b.bits - a.bits);
  return {
    resolve(ip) {
      const address = parseAddress(ip);
      if (address === undefined) return undefined;
      return parsed.find(
        (range) => range.v6 === address.v6 && (address.value & range.mask) === range.network,
      )?.asn;
    },
  };
}

function parseRange(range: AsnRange): ParsedRange {
  const { cidr, asn } = range ?? {};
  if (!Number.isInteger(asn) || asn < 0 || asn > 4_294_967_295) {
    throw new TypeError(`staticAsnResolver: asn of ${String(cidr)} must be an AS number`);
  }
  const [ip, bitsText] = typeof cidr === 'string' ? cidr.split('/') : [];
  const address = ip === undefined ? undefined : parseAddress(ip);
  const bits = Number(bitsText);
  const width = address?.v6 ? 128 : 32;
  if (address === undefined || !Number.isInteger(bits) || bits < 0 || bits > width) {
    throw new TypeError(`staticAsnResolver: '${String(cidr)}' is not a CIDR range`);
  }
  const all = (1n << BigInt(width)) - 1n;
  const mask = bits === 0 ? 0n : (all << BigInt(width - bits)) & all;
  return { network: address.value & mask, mask, bits, v6: address.v6, asn };
}

function parseAddress(ip: string): { value: bigint; v6: boolean } | undefined {
  const family = isIP(ip);
  if (family === 4) {
    return {
      value: ip.split('.').reduce((sum, part) => (sum << 8n) + BigInt(Number(part)), 0n),
      v6: false,
    };
  }
  if (family !== 6 || ip.includes('.')) return undefined;
  const [head = '', tail = ''] = ip.includes('::') ? ip.split('::') : [ip, ''];
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const groups = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return {
    value: groups.reduce((sum, group) => (sum << 16n) + BigInt(Number.parseInt(group, 16)), 0n),
    v6: true,
  };
}
