import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { AddressCategory, AddressVerdict } from './addressPolicy.js';

/** One answer of a resolver, as `dns.promises.lookup(host, { all: true })` gives them. */
export interface ResolvedAddress {
  address: string;
  family: number;
}

/**
 * Resolves a hostname to its addresses. Injectable so tests (and apps with their own resolver)
 * decide what a name resolves to.
 * @default (hostname) => dns.promises.lookup(hostname, { all: true })
 */
export type WebhookLookup = (hostname: string) => Promise<readonly ResolvedAddress[]>;

/** @internal The system resolver. */
export const systemLookup: WebhookLookup = (hostname) => dnsLookup(hostname, { all: true });

/** @internal Where one attempt connects: the checked address, and the names to present there. */
export interface ResolvedEndpoint {
  url: URL;
  /** The checked IP address the request connects to. */
  address: string;
  family: 4 | 6;
  /** TLS server name (SNI and certificate check): the URL's hostname unless it is an IP. */
  servername: string | undefined;
}

const DESCRIPTIONS: Record<AddressCategory | 'invalid', string> = {
  unspecified: 'an unspecified address',
  loopback: 'a loopback address',
  private: 'a private (RFC 1918) address',
  shared: 'a shared (CGNAT) address',
  link_local: 'a link-local address',
  unique_local: 'a unique-local address',
  multicast: 'a multicast address',
  reserved: 'a special-purpose address',
  invalid: 'not an IP address',
};

/** @internal Why an endpoint may not be called at all (not retried: configuration or an attack). */
export class EndpointRefused extends Error {
  override readonly name = 'EndpointRefused';
}

/** @internal Options of {@link resolveEndpoint}. */
export interface ResolveEndpointOptions {
  allowHttp: boolean;
  lookup: WebhookLookup;
  check: (address: string) => AddressVerdict;
}

/**
 * @internal
 * Validates an endpoint URL, resolves its hostname once and checks every address. The request
 * then connects to the checked address itself, so a resolver that answers differently the next
 * time (DNS rebinding) cannot redirect it. Throws {@link EndpointRefused}; resolver failures are
 * thrown as they come (a retryable network error).
 */
export async function resolveEndpoint(
  raw: string,
  { allowHttp, lookup, check }: ResolveEndpointOptions,
): Promise<ResolvedEndpoint> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new EndpointRefused('the endpoint is not a valid URL');
  }
  if (url.protocol !== 'https:' && !(allowHttp && url.protocol === 'http:')) {
    throw new EndpointRefused(
      `the endpoint must use https${allowHttp ? ' or http' : ''} (got ${url.protocol})`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw new EndpointRefused('the endpoint URL must not carry credentials');
  }
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const literal = isIP(hostname) !== 0;
  const answers = literal
    ? [{ address: hostname, family: isIP(hostname) }]
    : await lookup(hostname);
  if (answers.length === 0) throw new Error(`${hostname} has no addresses`);
  // Every answer must pass: a name that also points inside the network is refused outright.
  for (const { address } of answers) {
    const verdict = check(address);
    if (!verdict.allowed) {
      throw new EndpointRefused(
        `${literal ? hostname : `${hostname} resolves to ${address}`}: ${DESCRIPTIONS[verdict.category]}; allow it with allowPrivateNetworks or allowedAddresses`,
      );
    }
  }
  const [first] = answers as [ResolvedAddress];
  return {
    url,
    address: first.address,
    family: isIP(first.address) === 6 ? 6 : 4,
    servername: literal ? undefined : hostname,
  };
}
