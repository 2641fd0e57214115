import { randomBytes } from 'node:crypto';
import type { Store } from '@checkpoint/core';
import type { StepUp } from './StepUp.js';

/** @internal What one login keeps server-side between start() and callback(). */
export interface TransactionRecord {
  tenantId: string;
  issuer: string;
  redirectUri: string;
  state: string;
  nonce: string;
  codeVerifier: string;
  stepUp?: StepUp;
  returnTo?: string;
}

const ID = /^[A-Za-z0-9_-]{43}$/;

/**
 * @internal Login transactions as single-use Store tickets (`oidc:tx:<id>`). The browser's
 * session holds only the id: the PKCE verifier, state and nonce never leave the server, and the
 * id alone is useless without the IdP's response for that very login. `take` deletes the ticket
 * in the same atomic step that reads it, so a callback, good or bad, can be completed once.
 */
export class Transactions {
  constructor(
    private readonly store: Store,
    private readonly ttlSeconds: number,
  ) {}

  /** Keeps `record` and resolves with its id (256 random bits, base64url). */
  async open(record: TransactionRecord, now: number): Promise<string> {
    const id = randomBytes(32).toString('base64url');
    const kept = await this.store.putTicket({
      key: key(id),
      value: JSON.stringify(record),
      ttlSeconds: this.ttlSeconds,
      now,
    });
    // 256 random bits do not collide; a false here means the store is not doing its job.
    if (!kept) throw new TypeError('the store refused a fresh SSO transaction id');
    return id;
  }

  /** The record of `id`, deleted as it is read; undefined when unknown, used or expired. */
  async take(id: string | undefined, now: number): Promise<TransactionRecord | undefined> {
    if (typeof id !== 'string' || !ID.test(id)) return undefined;
    const value = await this.store.takeTicket(key(id), now);
    if (value === null) return undefined;
    try {
      return JSON.parse(value) as TransactionRecord;
    } catch {
      return undefined;
    }
  }
}

function key(id: string): string {
  return `oidc:tx:${id}`;
}
