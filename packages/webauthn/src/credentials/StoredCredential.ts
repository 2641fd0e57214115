import type { CredentialDeviceType } from '@simplewebauthn/server';

/**
 * Why a credential was flagged: `counter` when an assertion carried a signature counter that did
 * not move forward, the sign of a cloned authenticator.
 *
 * @example const flag: CredentialFlag = { reason: 'counter', at: Date.now() };
 * @see W3C WebAuthn Level 3 §6.1.1 (signature counter considerations)
 */
export interface CredentialFlag {
  reason: 'counter';
  /** Epoch milliseconds. */
  at: number;
}

/**
 * A registered WebAuthn credential, as a {@link CredentialRepository} keeps it.
 *
 * @example const bound = credential.deviceType === 'singleDevice'; // may reach AAL3
 * @see W3C WebAuthn Level 3 §7.1 step 27 (store the credential record)
 */
export interface StoredCredential {
  /** Credential id, base64url: the key of the repository. */
  id: string;
  userId: string;
  /** The tenant it was registered in, when one was given. */
  tenantId?: string;
  /** COSE public key, as the authenticator sent it. */
  publicKey: Uint8Array;
  /** The last signature counter accepted (0 for authenticators that keep none). */
  counter: number;
  /** Transport hints from the browser ('internal', 'usb', 'hybrid', …), for allowCredentials. */
  transports: string[];
  /** 'singleDevice' (BE flag unset: the key cannot leave the device) or 'multiDevice' (syncable). */
  deviceType: CredentialDeviceType;
  /** BS flag at the last ceremony: the key is currently backed up (synced). */
  backedUp: boolean;
  /** Authenticator model, a UUID; self-asserted unless attestation was verified. */
  aaguid: string;
  /** Epoch milliseconds. */
  createdAt: number;
  /** Epoch milliseconds of the last accepted assertion. */
  lastUsedAt?: number;
  /** Set when the credential must not be used until someone looks at it. */
  flagged?: CredentialFlag;
}

/**
 * A counter update after an accepted assertion, for {@link CredentialRepository.updateCounter}.
 *
 * @example await repository.updateCounter({ id, counter: 7, backedUp: false, usedAt: now });
 * @see W3C WebAuthn Level 3 §7.2 step 23 (update the stored signCount)
 */
export interface CounterUpdate {
  id: string;
  counter: number;
  backedUp: boolean;
  usedAt: number;
}

/**
 * Where credentials live: the application's database. {@link MemoryCredentialRepository} is the
 * in-process implementation, for tests and single-process demos. Errors thrown here reach the
 * caller as `CheckpointError('store_unavailable')`.
 *
 * @example
 * const credentials: CredentialRepository = {
 *   findById: (id) => db.passkeys.findOne({ id }),
 *   listByUser: (userId) => db.passkeys.find({ userId }),
 *   create: (credential) => db.passkeys.insertIfAbsent(credential),
 *   updateCounter: ({ id, counter, backedUp, usedAt }) => db.passkeys.update(id, { counter, backedUp, lastUsedAt: usedAt }),
 *   flag: (id, flag) => db.passkeys.update(id, { flagged: flag }),
 * };
 * @see W3C WebAuthn Level 3 §4 ("credential record")
 */
export interface CredentialRepository {
  /** The credential with this id, or null. */
  findById(id: string): Promise<StoredCredential | null>;
  /** Every credential of the user, flagged ones included. */
  listByUser(userId: string): Promise<StoredCredential[]>;
  /**
   * Stores a new credential. Resolves false, storing nothing, when a credential with this id
   * exists (for any user): a credential id is registered once (WebAuthn L3 §7.1 step 26).
   */
  create(credential: StoredCredential): Promise<boolean>;
  /** Records the counter of an accepted assertion. Keep the larger value if two race. */
  updateCounter(update: CounterUpdate): Promise<void>;
  /** Marks the credential unusable (a counter regression); authentication refuses it from then on. */
  flag(id: string, flag: CredentialFlag): Promise<void>;
}
