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
 * What a verified attestation proved about the authenticator at registration: its model, and
 * whose trust anchors vouched for it. Kept so that every later authentication can ask whether
 * that trust still holds (the model's status, the tenant's approval).
 *
 * @example if (credential.attested?.trust === 'metadata') show(credential.attested.description);
 * @see W3C WebAuthn Level 3 §7.1 steps 21–24; FIDO Metadata Statement v3.0 §4 (keyProtection)
 */
export interface CredentialAttestation {
  /** The statement format: `packed`, `tpm`, `android-key`, `apple` or `fido-u2f`. */
  format: string;
  /** The authenticator model, proven: the attestation chains to a root listed for this AAGUID. */
  aaguid: string;
  /** For U2F models (no AAGUID): the attestation certificate's key identifier, lower-case hex. */
  keyIdentifier?: string;
  /**
   * Whose roots the attestation chained to: the FIDO metadata's for this model, or those the
   * tenant approved the model with (`approvedAuthenticators`).
   */
  trust: 'metadata' | 'tenant';
  /**
   * How the model protects keys, from the metadata (`hardware`, `secure_element`, `tee`,
   * `software`, `remote_handle`); empty when the metadata does not describe it.
   */
  keyProtection: string[];
  /** The model's name, from the metadata or the tenant's approval. */
  description?: string;
  /** Epoch milliseconds of the registration that verified it. */
  verifiedAt: number;
}

/**
 * How a credential was bound as an AAL3 authenticator (NIST SP 800-63B rev 4 §4.1: from a
 * session at AAL3, or with an approval made out of band).
 *
 * @example if (credential.aal3?.first) audit('first AAL3 authenticator', credential.aal3.approvedBy);
 * @see NIST SP 800-63B rev 4 §4.1 (authenticator binding)
 */
export interface Aal3Binding {
  /** Epoch milliseconds. */
  at: number;
  /** `'aal3-session'`, or what `approveAal3Enrolment` said (who approved it, a ticket). */
  approvedBy: string;
  /** The account had no AAL3 credential before this one. */
  first: boolean;
}

/**
 * A registered WebAuthn credential, as a {@link CredentialRepository} keeps it. It counts as
 * device-bound (AAL3-capable) only with `attested` and `aal3`, and only while the trust behind
 * `attested` still holds; anything else is a passkey that reaches AAL2 at most.
 *
 * @example const aal3Capable = credential.aal3 !== undefined; // bound as an AAL3 authenticator
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
  /** Authenticator model, a UUID, as the authenticator claimed it (`attested.aaguid` when proven). */
  aaguid: string;
  /** What a verified attestation proved; absent for `none`, self or unverifiable attestation. */
  attested?: CredentialAttestation;
  /** Set when the credential was bound as an AAL3 authenticator: when, and on whose authority. */
  aal3?: Aal3Binding;
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
