import { createHash } from 'node:crypto';
import { verificationShard } from '@checkpoint/core';

/**
 * @internal
 * Redis key names. Every key carries a hash tag (`{…}`) so that the keys one script touches share
 * a Redis Cluster slot:
 * - `{shard}` — a verification record, and the failure-budget hash of the destinations whose keyed
 *   hash starts with that shard, and those destinations' send counters. The shard is in the
 *   verification id, so a check finds both keys from the id alone: one script, one round trip.
 * - `{ip:…}`, `{asn:…}`, `{tenant:…}` — the other send counters, one slot per subject.
 * - `{r:digest}` — the index from a provider message id to its verification (receipts know only the message id).
 * - `{t:tenant}` — a tenant's configuration.
 * - `{k:digest}` — a single-use ticket (putTicket / takeTicket).
 */
export class KeySpace {
  constructor(readonly prefix: string) {
    if (typeof prefix !== 'string' || prefix.length > 64 || /[{}\s]/.test(prefix)) {
      throw new TypeError(
        'RedisStore `prefix` must be a string of at most 64 characters without braces or spaces, e.g. "cp:"',
      );
    }
  }

  record(id: string): string {
    return `${this.prefix}{${verificationShard(id)}}:v:${id.slice(7)}`;
  }

  failures(shard: string): string {
    return `${this.prefix}{${shard}}:f`;
  }

  message(channel: string, providerMessageId: string): string {
    const digest = createHash('sha256')
      .update(`${channel}\u0000${providerMessageId}`)
      .digest('base64url')
      .slice(0, 22);
    return `${this.prefix}{r:${digest}}`;
  }

  /** A single-use ticket (WebAuthn challenge, OIDC state); the caller's key, hashed, is its own slot. */
  ticket(key: string): string {
    const digest = createHash('sha256').update(key).digest('base64url').slice(0, 22);
    return `${this.prefix}{k:${digest}}`;
  }

  /** The media a destination opted out of for a tenant (a set; no TTL), in the destination's shard. */
  optOut(tenantId: string, destinationHash: string): string {
    return `${this.prefix}{${destinationHash.slice(0, 4)}}:o:${tenantId}:${destinationHash}`;
  }

  /** The pub/sub channel on which tenant configuration changes are announced. */
  configChannel(): string {
    return `${this.prefix}cfg-changed`;
  }

  tenant(tenantId: string): string {
    return `${this.prefix}{t:${tenantId}}:cfg`;
  }

  /**
   * Where a core counter lives. Core names counters `<kind>:<subject>[:<window>]`; destination
   * counters (`dest:`) and failure budgets (`fail:<destination hash>:<owner>`) go to the
   * destination's shard, a failure budget as a field of the shard's hash.
   */
  counter(logical: string): { key: string; field: string; tag: string } {
    const colon = logical.indexOf(':');
    const kind = logical.slice(0, colon);
    const rest = logical.slice(colon + 1);
    const subject = rest.includes(':') ? rest.slice(0, rest.indexOf(':')) : rest;
    // A failure budget (`fail:<destination hash>:<owner>`) is a field of its destination shard's
    // hash, named by everything after `fail:`, as the check script names it from the record.
    if (kind === 'fail')
      return { key: this.failures(subject.slice(0, 4)), field: rest, tag: subject.slice(0, 4) };
    const tag = kind === 'dest' ? subject.slice(0, 4) : `${kind}:${subject}`;
    return { key: `${this.prefix}{${tag}}:c:${logical}`, field: '', tag };
  }

  /** Where a core tally (a hash of time buckets) lives: a slot of its own. */
  tally(logical: string): string {
    return `${this.prefix}{${logical}}:t`;
  }
}
