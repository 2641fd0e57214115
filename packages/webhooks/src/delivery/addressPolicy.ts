import { BlockList, isIP, isIPv4 } from 'node:net';

/** Why an address is not on the public Internet. */
export type AddressCategory =
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'shared'
  | 'link_local'
  | 'unique_local'
  | 'multicast'
  | 'reserved';

/** Options of {@link addressPolicy}. */
export interface AddressPolicyOptions {
  /** Allow every unicast address: loopback, RFC 1918, CGNAT, link-local, unique-local. @default false */
  allowPrivateNetworks?: boolean;
  /** Addresses or CIDR ranges allowed although not public, e.g. `['10.1.2.0/24', 'fd00::/8']`. @default [] */
  allowedAddresses?: readonly string[];
}

/** @internal The verdict on one address. */
export type AddressVerdict =
  | { allowed: true }
  | { allowed: false; category: AddressCategory | 'invalid' };

// IANA special-purpose registries (RFC 6890 and successors). Unicast ones can be allowed.
const V4: ReadonlyArray<[string, number, AddressCategory]> = [
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'shared'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link_local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.0.2.0', 24, 'reserved'],
  ['192.88.99.0', 24, 'reserved'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'],
  ['198.51.100.0', 24, 'reserved'],
  ['203.0.113.0', 24, 'reserved'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];
const V6: ReadonlyArray<[string, number, AddressCategory]> = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['::', 96, 'reserved'], // IPv4-compatible (deprecated)
  ['64:ff9b:1::', 48, 'reserved'], // local-use NAT64
  ['100::', 64, 'reserved'], // discard-only
  ['2001::', 23, 'reserved'], // IETF protocol assignments
  ['2001:db8::', 32, 'reserved'], // documentation
  ['fc00::', 7, 'unique_local'],
  ['fe80::', 10, 'link_local'],
  ['fec0::', 10, 'link_local'], // site-local (deprecated)
  ['ff00::', 8, 'multicast'],
];
/** Never a destination, whatever the options say. */
const NEVER = new Set<AddressCategory>(['unspecified', 'multicast']);

const special = (() => {
  const lists = new Map<AddressCategory, BlockList>();
  for (const [network, prefix, category] of V4)
    listFor(lists, category).addSubnet(network, prefix, 'ipv4');
  for (const [network, prefix, category] of V6)
    listFor(lists, category).addSubnet(network, prefix, 'ipv6');
  return lists;
})();

/**
 * @internal
 * The check applied to every address a webhook would connect to: public unicast addresses pass;
 * loopback, RFC 1918, CGNAT, link-local (cloud metadata at 169.254.169.254), unique-local,
 * documentation and other special-purpose ranges only through `allowPrivateNetworks` or
 * `allowedAddresses`; unspecified and multicast never. IPv4 embedded in IPv6 (`::ffff:10.0.0.1`,
 * NAT64 `64:ff9b::/96`, 6to4 `2002::/16`) is judged as the IPv4 address it reaches.
 */
export function addressPolicy({
  allowPrivateNetworks = false,
  allowedAddresses = [],
}: AddressPolicyOptions = {}): (address: string) => AddressVerdict {
  const allowed = new BlockList();
  for (const entry of allowedAddresses) addAllowed(allowed, entry);
  return (raw) => {
    const address = raw.replace(/%.*$/, ''); // an IPv6 zone id names an interface, not a host
    const family = isIP(address);
    if (family === 0) return { allowed: false, category: 'invalid' };
    const target = family === 6 ? (embeddedIPv4(address) ?? address) : address;
    const type = isIPv4(target) ? 'ipv4' : 'ipv6';
    const category = categorize(target, type);
    if (category === undefined) return { allowed: true };
    if (NEVER.has(category)) return { allowed: false, category };
    if (allowPrivateNetworks) return { allowed: true };
    if (allowed.check(target, type) || (target !== address && allowed.check(address, 'ipv6'))) {
      return { allowed: true };
    }
    return { allowed: false, category };
  };
}

function categorize(address: string, type: 'ipv4' | 'ipv6'): AddressCategory | undefined {
  for (const [category, list] of special) if (list.check(address, type)) return category;
  return undefined;
}

function listFor(lists: Map<AddressCategory, BlockList>, category: AddressCategory): BlockList {
  let list = lists.get(category);
  if (list === undefined) {
    list = new BlockList();
    lists.set(category, list);
  }
  return list;
}

function addAllowed(list: BlockList, entry: string): void {
  const [network = '', prefixText, ...rest] = String(entry).split('/');
  const family = isIP(network);
  const prefix = prefixText === undefined ? (family === 4 ? 32 : 128) : Number(prefixText);
  const max = family === 4 ? 32 : 128;
  if (family === 0 || rest.length > 0 || !Number.isInteger(prefix) || prefix < 0 || prefix > max) {
    throw new TypeError(
      `allowedAddresses: '${entry}' is not an IP address or CIDR range (e.g. '10.0.0.0/8', 'fd00::/8')`,
    );
  }
  list.addSubnet(network, prefix, family === 4 ? 'ipv4' : 'ipv6');
}

/** The IPv4 address an IPv6 address carries (mapped, NAT64 well-known prefix, 6to4), if any. */
function embeddedIPv4(address: string): string | undefined {
  const bytes = ipv6Bytes(address);
  if (bytes === undefined) return undefined;
  const zeros = (from: number, to: number): boolean => bytes.slice(from, to).every((b) => b === 0);
  const v4 = (at: number): string => bytes.slice(at, at + 4).join('.');
  if (zeros(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) return v4(12); // ::ffff:0:0/96
  if (
    bytes[0] === 0x00 &&
    bytes[1] === 0x64 &&
    bytes[2] === 0xff &&
    bytes[3] === 0x9b &&
    zeros(4, 12)
  ) {
    return v4(12); // 64:ff9b::/96
  }
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return v4(2); // 2002::/16
  return undefined;
}

function ipv6Bytes(address: string): number[] | undefined {
  let text = address;
  const tail: number[] = [];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1] !== undefined) {
    tail.push(...dotted[1].split('.').map(Number));
    text = `${text.slice(0, -dotted[1].length)}0:0`;
  }
  const [head = '', rest] = text.split('::');
  const groups = (part: string | undefined): number[] =>
    part === undefined || part === ''
      ? []
      : part.split(':').map((group) => Number.parseInt(group, 16));
  const left = groups(head);
  const right = groups(rest);
  const fill = rest === undefined ? 0 : 8 - left.length - right.length;
  const words = [...left, ...new Array<number>(Math.max(0, fill)).fill(0), ...right];
  if (words.length !== 8 || words.some((word) => !Number.isInteger(word))) return undefined;
  const bytes = words.flatMap((word) => [word >> 8, word & 0xff]);
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes;
}
