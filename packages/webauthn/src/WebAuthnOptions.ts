import { createHash } from 'node:crypto';
import type { Store } from '@checkpoint/core';
import type { CredentialRepository } from './credentials/StoredCredential.js';

/**
 * Options of {@link createWebAuthn}.
 *
 * @example
 * const options: WebAuthnOptions = {
 *   rpID: 'console.acme.example',
 *   rpName: 'Acme Console',
 *   origins: ['https://console.acme.example'],
 *   store,
 *   credentials,
 * };
 * @see W3C WebAuthn Level 3 §5.4.2 (relying party), §13.4.9 (origin validation)
 */
export interface WebAuthnOptions {
  /** The relying party id: the site's registrable domain or a host under it, no scheme or port. */
  rpID: string;
  /** Shown by the browser and authenticator during registration. */
  rpName: string;
  /** Exact origins the ceremonies may run on (`https://host[:port]`); anything else is refused. */
  origins: readonly string[];
  /** Keeps each challenge as a single-use ticket: MemoryStore in one process, RedisStore across several. */
  store: Store;
  /** The application's credentials. */
  credentials: CredentialRepository;
  /**
   * Seconds a challenge stays usable; also the browser-side `timeout`.
   * @default 300
   */
  challengeTtlSeconds?: number;
  /**
   * Refuse ceremonies whose authenticator did not verify the user (UV flag unset), with
   * `webauthn:user_verification`, and ask browsers for user verification. With `false`, such an
   * assertion is accepted but its factor reaches AAL1 only.
   * @default true
   */
  requireUserVerification?: boolean;
  /**
   * Top-level origins that may embed the ceremonies in a cross-origin iframe. Empty (the default):
   * a response with `crossOrigin: true` is refused. When set, a cross-origin response must also
   * name its `topOrigin` (browsers that omit it cannot be embedded).
   * @default []
   */
  topOrigins?: readonly string[];
  /**
   * Authenticator models (AAGUIDs) a tenant accepts, e.g. its hardware security keys; undefined
   * for no restriction. Applied at registration and at every authentication.
   * @default () => undefined
   */
  aaguids?: (tenantId: string | undefined) => readonly string[] | undefined;
  /**
   * The clock, epoch milliseconds: challenge expiry, `createdAt` and the factor's `at`.
   * @default Date.now
   */
  now?: () => number;
}

/** @internal {@link WebAuthnOptions} checked, with defaults applied. */
export interface Settings {
  rpID: string;
  rpName: string;
  origins: readonly string[];
  store: Store;
  credentials: CredentialRepository;
  challengeTtlSeconds: number;
  requireUserVerification: boolean;
  topOrigins: readonly string[];
  aaguids: (tenantId: string | undefined) => readonly string[] | undefined;
  now: () => number;
  /** SHA-256 of rpID, the first 32 bytes of every authenticator data. */
  rpIdHash: Buffer;
}

const ORIGIN = /^https?:\/\/[^/?#\s]+$/;
const REPOSITORY_METHODS = ['findById', 'listByUser', 'create', 'updateCounter', 'flag'] as const;

/** @internal Checks the options (misuse is a TypeError that says what to pass) and applies defaults. */
export function resolveOptions(options: WebAuthnOptions): Settings {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(
      'createWebAuthn needs options: { rpID, rpName, origins, store, credentials }',
    );
  }
  const {
    rpID,
    rpName,
    origins,
    store,
    credentials,
    challengeTtlSeconds = 300,
    requireUserVerification = true,
    topOrigins = [],
    aaguids = () => undefined,
    now = Date.now,
  } = options;
  if (typeof rpID !== 'string' || !/^[a-z0-9.-]+$/i.test(rpID)) {
    throw new TypeError(
      "createWebAuthn needs rpID: the site's domain without scheme or port, e.g. 'console.acme.example'",
    );
  }
  if (typeof rpName !== 'string' || rpName === '') {
    throw new TypeError("createWebAuthn needs rpName: the name users see, e.g. 'Acme Console'");
  }
  checkOrigins(origins, 'origins', false);
  checkOrigins(topOrigins, 'topOrigins', true);
  if (
    typeof store !== 'object' ||
    store === null ||
    typeof store.putTicket !== 'function' ||
    typeof store.takeTicket !== 'function'
  ) {
    throw new TypeError(
      'createWebAuthn needs store: a @checkpoint/core Store (MemoryStore, RedisStore) for single-use challenges',
    );
  }
  const missing = REPOSITORY_METHODS.filter(
    (name) => typeof (credentials as Partial<CredentialRepository> | null)?.[name] !== 'function',
  );
  if (missing.length > 0) {
    throw new TypeError(
      `createWebAuthn needs credentials: a CredentialRepository (e.g. new MemoryCredentialRepository()); missing ${missing.join(', ')}`,
    );
  }
  if (
    !Number.isInteger(challengeTtlSeconds) ||
    challengeTtlSeconds < 10 ||
    challengeTtlSeconds > 600
  ) {
    throw new TypeError(
      'createWebAuthn challengeTtlSeconds must be a whole number of seconds from 10 to 600',
    );
  }
  if (typeof requireUserVerification !== 'boolean') {
    throw new TypeError('createWebAuthn requireUserVerification must be true or false');
  }
  if (typeof aaguids !== 'function') {
    throw new TypeError(
      'createWebAuthn aaguids must be a function (tenantId) => readonly string[] | undefined',
    );
  }
  if (typeof now !== 'function') {
    throw new TypeError('createWebAuthn now must be a function returning epoch milliseconds');
  }
  return {
    rpID,
    rpName,
    origins: [...origins],
    store,
    credentials,
    challengeTtlSeconds,
    requireUserVerification,
    topOrigins: [...topOrigins],
    aaguids,
    now,
    rpIdHash: createHash('sha256').update(rpID, 'utf8').digest(),
  };
}

function checkOrigins(origins: unknown, name: string, mayBeEmpty: boolean): void {
  if (
    !Array.isArray(origins) ||
    (!mayBeEmpty && origins.length === 0) ||
    !origins.every((origin) => typeof origin === 'string' && ORIGIN.test(origin))
  ) {
    throw new TypeError(
      `createWebAuthn ${name} must be an array of exact origins such as ['https://console.acme.example'] (scheme, host, port; no path)`,
    );
  }
}
