/**
 * Whose factors: a user of a tenant. Every record and every atomic step is scoped to one.
 *
 * @example const owner: FactorOwner = { tenantId: 'acme', userId: 'u_42' };
 */
export interface FactorOwner {
  tenantId: string;
  userId: string;
}

/**
 * An authenticator app (TOTP) as a store keeps it. `secret` is sealed (AES-256-GCM under a key
 * derived from the server secret, bound to the owner and `id`): a store never sees it in clear.
 */
export interface TotpRecord {
  /** `totp_` + 128 random bits. */
  id: string;
  /** `v1.<key id>.<iv>.<ciphertext+tag>` (base64url). */
  secret: string;
  algorithm: 'sha1' | 'sha256' | 'sha512';
  digits: 6 | 7 | 8;
  period: number;
  createdAt: number;
  /** Set when the first code confirmed the enrolment. */
  confirmedAt?: number;
}

/** The owner's authenticator app, confirmed or not, and the last time step accepted from it. */
export interface TotpState {
  active?: TotpRecord;
  /** An enrolment waiting for its first code; gone at `pendingExpiresAt`. */
  pending?: TotpRecord;
  pendingExpiresAt?: number;
  /** The highest RFC 6238 time step ever accepted from `active` (replay refusal). */
  lastStep?: number;
}

/** The owner's recovery codes: keyed hashes only, and when the set was made. */
export interface RecoveryCodeSet {
  /** `kid.base64url(HMAC)` of each unused code. */
  hashes: string[];
  createdAt: number;
}

/** A browser the owner asked to be remembered; the cookie names it by `id`. */
export interface RememberedDevice {
  /** `dev_` + 128 random bits. */
  id: string;
  createdAt: number;
  expiresAt: number;
  /** A short, user-visible description (browser and OS from the user agent), when known. */
  label?: string;
}

/**
 * Where factors live. Every method is one atomic step: two processes calling `useTotpStep` or
 * `useRecoveryCode` at once see exactly one success. `MemoryFactorStore` is the embedded one;
 * `RedisFactorStore` (`@checkpoint/factors/redis`) serves several processes. Both pass the suite
 * in `@checkpoint/factors/testing`. Stores throw on failure (connection lost, timeout); callers
 * turn that into `CheckpointError('store_unavailable')` and never accept a factor then.
 */
export interface FactorStore {
  /** The owner's authenticator app state (pending entries past their time are left out). */
  getTotp(owner: FactorOwner, now: number): Promise<TotpState>;
  /** Keeps an enrolment until `expiresAt`, replacing any earlier pending one; the active one stays. */
  putPendingTotp(owner: FactorOwner, record: TotpRecord, expiresAt: number): Promise<void>;
  /**
   * Promotes the pending enrolment `id` (not past its time) to active, replacing any active one,
   * with `step` as its last accepted step and `confirmedAt = now`. Null when there is no such
   * pending enrolment: of concurrent callers, exactly one gets the record.
   */
  activateTotp(
    owner: FactorOwner,
    input: { id: string; step: number; now: number },
  ): Promise<TotpRecord | null>;
  /**
   * Records `step` as accepted from the active app `id` when it is later than every step
   * accepted before; resolves false (a replay, or another app) otherwise. With `resealed` (the
   * same app, its secret sealed under the current key after a rotation), an accepted step also
   * stores it as the active record, in the same atomic step.
   */
  useTotpStep(
    owner: FactorOwner,
    input: { id: string; step: number; resealed?: TotpRecord },
  ): Promise<boolean>;
  /** Removes the active app (when `id` is given, only if it is that one) and any pending one. */
  deleteTotp(owner: FactorOwner, id?: string): Promise<boolean>;

  /** Replaces the whole set of recovery codes (an empty `hashes` removes them). */
  replaceRecoveryCodes(owner: FactorOwner, set: RecoveryCodeSet): Promise<void>;
  /**
   * Removes the first of `candidates` (one code's hash under each configured key) found in the
   * set, in one atomic step: of concurrent callers with the same code exactly one gets
   * `{ used: true }`. `remaining` counts the codes left after it.
   */
  useRecoveryCode(
    owner: FactorOwner,
    candidates: readonly string[],
  ): Promise<{ used: true; remaining: number } | { used: false }>;
  /** How many unused codes the owner has, and when the set was made; null when none was. */
  recoveryCodes(owner: FactorOwner): Promise<{ remaining: number; createdAt: number } | null>;

  /** Remembers a device; expired devices of the owner may be pruned on the way. */
  putDevice(owner: FactorOwner, device: RememberedDevice): Promise<void>;
  /** The device if it is remembered and `now < expiresAt`, else null. */
  getDevice(owner: FactorOwner, id: string, now: number): Promise<RememberedDevice | null>;
  /** The owner's remembered devices that have not expired, oldest first. */
  listDevices(owner: FactorOwner, now: number): Promise<RememberedDevice[]>;
  /** Forgets one device; true when it was remembered. */
  deleteDevice(owner: FactorOwner, id: string): Promise<boolean>;
  /** Forgets every device of the owner; resolves how many were remembered. */
  deleteDevices(owner: FactorOwner): Promise<number>;
}
