import type {
  CounterUpdate,
  CredentialFlag,
  CredentialRepository,
  StoredCredential,
} from './StoredCredential.js';

/**
 * The in-process {@link CredentialRepository}: one Map, no persistence. Credentials are copied in
 * and out, so callers never share state with it. For tests, examples and single-process demos.
 *
 * @example
 * const webauthn = createWebAuthn({ rpID, rpName, origins, store, credentials: new MemoryCredentialRepository() });
 * @see W3C WebAuthn Level 3 §4 ("credential record")
 */
export class MemoryCredentialRepository implements CredentialRepository {
  private readonly byId = new Map<string, StoredCredential>();

  findById(id: string): Promise<StoredCredential | null> {
    const held = this.byId.get(id);
    return Promise.resolve(held === undefined ? null : copy(held));
  }

  listByUser(userId: string): Promise<StoredCredential[]> {
    const found = [...this.byId.values()].filter((held) => held.userId === userId);
    return Promise.resolve(found.map(copy));
  }

  create(credential: StoredCredential): Promise<boolean> {
    if (this.byId.has(credential.id)) return Promise.resolve(false);
    this.byId.set(credential.id, copy(credential));
    return Promise.resolve(true);
  }

  updateCounter({ id, counter, backedUp, usedAt }: CounterUpdate): Promise<void> {
    const held = this.byId.get(id);
    if (held !== undefined) {
      held.counter = Math.max(held.counter, counter);
      held.backedUp = backedUp;
      held.lastUsedAt = usedAt;
    }
    return Promise.resolve();
  }

  flag(id: string, flag: CredentialFlag): Promise<void> {
    const held = this.byId.get(id);
    if (held !== undefined) held.flagged = { ...flag };
    return Promise.resolve();
  }

  /** Removes a credential (the user deleted a passkey); false when there was none. */
  delete(id: string): Promise<boolean> {
    return Promise.resolve(this.byId.delete(id));
  }
}

function copy(credential: StoredCredential): StoredCredential {
  const copied: StoredCredential = {
    ...credential,
    publicKey: Uint8Array.from(credential.publicKey),
    transports: [...credential.transports],
  };
  if (credential.flagged !== undefined) copied.flagged = { ...credential.flagged };
  if (credential.attested !== undefined) {
    copied.attested = {
      ...credential.attested,
      keyProtection: [...credential.attested.keyProtection],
    };
  }
  if (credential.aal3 !== undefined) copied.aal3 = { ...credential.aal3 };
  return copied;
}
