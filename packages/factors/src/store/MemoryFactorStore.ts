import type {
  FactorOwner,
  FactorStore,
  RecoveryCodeSet,
  RememberedDevice,
  TotpRecord,
  TotpState,
} from './FactorStore.js';

interface Held {
  active?: TotpRecord;
  pending?: { record: TotpRecord; expiresAt: number };
  lastStep?: number;
  recovery?: RecoveryCodeSet;
  devices: Map<string, RememberedDevice>;
}

/**
 * A {@link FactorStore} in this process's memory: for tests, demos and single-process apps. Every
 * method runs to completion without awaiting, so each is atomic. Records are copied in and out.
 *
 * @example const factors = createFactors({ secret, store: new MemoryFactorStore(), checkpointStore: new MemoryStore() });
 * @see RFC 6238 §5.2 (accept each OTP once)
 */
export class MemoryFactorStore implements FactorStore {
  private readonly owners = new Map<string, Held>();

  private held(owner: FactorOwner): Held {
    const key = `${owner.tenantId}\u0000${owner.userId}`;
    let held = this.owners.get(key);
    if (held === undefined) {
      held = { devices: new Map() };
      this.owners.set(key, held);
    }
    return held;
  }

  async getTotp(owner: FactorOwner, now: number): Promise<TotpState> {
    const held = this.held(owner);
    const state: TotpState = {};
    if (held.active !== undefined) state.active = { ...held.active };
    if (held.pending !== undefined && now < held.pending.expiresAt) {
      state.pending = { ...held.pending.record };
      state.pendingExpiresAt = held.pending.expiresAt;
    }
    if (held.lastStep !== undefined) state.lastStep = held.lastStep;
    return state;
  }

  async putPendingTotp(owner: FactorOwner, record: TotpRecord, expiresAt: number): Promise<void> {
    this.held(owner).pending = { record: { ...record }, expiresAt };
  }

  async activateTotp(
    owner: FactorOwner,
    { id, step, now }: { id: string; step: number; now: number },
  ): Promise<TotpRecord | null> {
    const held = this.held(owner);
    const pending = held.pending;
    if (pending === undefined || pending.record.id !== id || now >= pending.expiresAt) return null;
    delete held.pending;
    held.active = { ...pending.record, confirmedAt: now };
    held.lastStep = step;
    return { ...held.active };
  }

  async useTotpStep(
    owner: FactorOwner,
    { id, step, resealed }: { id: string; step: number; resealed?: TotpRecord },
  ): Promise<boolean> {
    const held = this.held(owner);
    if (held.active?.id !== id) return false;
    if (held.lastStep !== undefined && step <= held.lastStep) return false;
    held.lastStep = step;
    if (resealed?.id === id) held.active = { ...held.active, secret: resealed.secret };
    return true;
  }

  async deleteTotp(owner: FactorOwner, id?: string): Promise<boolean> {
    const held = this.held(owner);
    if (held.active === undefined || (id !== undefined && held.active.id !== id)) return false;
    delete held.active;
    delete held.pending;
    delete held.lastStep;
    return true;
  }

  async replaceRecoveryCodes(owner: FactorOwner, set: RecoveryCodeSet): Promise<void> {
    const held = this.held(owner);
    if (set.hashes.length === 0) delete held.recovery;
    else held.recovery = { hashes: [...set.hashes], createdAt: set.createdAt };
  }

  async useRecoveryCode(
    owner: FactorOwner,
    candidates: readonly string[],
  ): Promise<{ used: true; remaining: number } | { used: false }> {
    const set = this.held(owner).recovery;
    if (set === undefined) return { used: false };
    const index = set.hashes.findIndex((hash) => candidates.includes(hash));
    if (index < 0) return { used: false };
    set.hashes.splice(index, 1);
    return { used: true, remaining: set.hashes.length };
  }

  async recoveryCodes(
    owner: FactorOwner,
  ): Promise<{ remaining: number; createdAt: number } | null> {
    const set = this.held(owner).recovery;
    return set === undefined ? null : { remaining: set.hashes.length, createdAt: set.createdAt };
  }

  async putDevice(owner: FactorOwner, device: RememberedDevice): Promise<void> {
    const { devices } = this.held(owner);
    for (const [id, held] of devices) if (held.expiresAt <= device.createdAt) devices.delete(id);
    devices.set(device.id, { ...device });
  }

  async getDevice(owner: FactorOwner, id: string, now: number): Promise<RememberedDevice | null> {
    const device = this.held(owner).devices.get(id);
    return device === undefined || now >= device.expiresAt ? null : { ...device };
  }

  async listDevices(owner: FactorOwner, now: number): Promise<RememberedDevice[]> {
    return [...this.held(owner).devices.values()]
      .filter((device) => now < device.expiresAt)
      .sort((a, b) => a.createdAt - b.createdAt)
      .map((device) => ({ ...device }));
  }

  async deleteDevice(owner: FactorOwner, id: string): Promise<boolean> {
    return this.held(owner).devices.delete(id);
  }

  async deleteDevices(owner: FactorOwner): Promise<number> {
    const { devices } = this.held(owner);
    const count = devices.size;
    devices.clear();
    return count;
  }
}
