import { createHash } from 'node:crypto';
import type { Store } from '@checkpoint/core';
import {
  type Aal3Approval,
  type Aal3Candidate,
  type ApprovedAuthenticator,
  type AttestationSettings,
  resolveAttestationOptions,
} from './attestation/AttestationOptions.js';
import type { CredentialRepository } from './credentials/StoredCredential.js';
import type { FidoMetadata } from './metadata/createFidoMetadata.js';

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
   * for no restriction. Applied at registration and at every authentication, to the model a
   * verified attestation proved: with a list, an authenticator that does not prove its model
   * is refused.
   * @default () => undefined
   */
  aaguids?: (tenantId: string | undefined) => readonly string[] | undefined;
  /**
   * The attestation registration asks browsers for: `'direct'`, `'enterprise'` (for RP IDs the
   * enterprise's browsers are configured to attest uniquely to), or `'none'`.
   * @default 'direct' when `metadata` or `approvedAuthenticators` can check it, else 'none'
   */
  attestation?: 'none' | 'direct' | 'enterprise';
  /**
   * FIDO Metadata Service data (`createFidoMetadata`): trust anchors, key protection and status
   * reports per authenticator model. Load it (`refresh()`) before serving; it is never fetched
   * while a request is served.
   * @default none: only `approvedAuthenticators` can prove a model
   */
  metadata?: FidoMetadata;
  /**
   * Authenticator models a tenant approves for AAL3 itself, each with the attestation roots its
   * statements must chain to.
   * @default () => undefined
   */
  approvedAuthenticators?: (
    tenantId: string | undefined,
  ) => readonly ApprovedAuthenticator[] | undefined;
  /**
   * The out-of-band approval that binds an AAL3-capable credential at AAL3 when the session that
   * registers it is not at AAL3 (`verifyRegistration({ sessionAal })`): resolve to
   * `{ approvedBy }` to bind it at AAL3, undefined to keep it at AAL2. Called only for a credential
   * whose attestation proved it can count at AAL3; `first` says it would be the account's first.
   * @default none: only a session at AAL3 binds a credential at AAL3
   */
  approveAal3Enrolment?: (
    candidate: Aal3Candidate,
  ) => Aal3Approval | undefined | Promise<Aal3Approval | undefined>;
  /**
   * The clock, epoch milliseconds: challenge expiry, `createdAt` and the factor's `at`.
   * @default Date.now
   */
  now?: () => number;
}

/** @internal {@link WebAuthnOptions} checked, with defaults applied. */
export interface Settings extends AttestationSettings {
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
    ...resolveAttestationOptions(options),
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
