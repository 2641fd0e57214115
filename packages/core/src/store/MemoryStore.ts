import { cloneRecord } from './cloneRecord.js';
import type { TenantOverrides } from '../config/TenantConfig.js';
import { safeEqual } from '../codes/keyring.js';
import { budgetLocked, failureBudgetKey } from '../velocity/failureBudget.js';
import { MemoryCounters } from './MemoryCounters.js';
import { MemoryTallies } from './MemoryTallies.js';
import { advancesDelivery } from './deliveryState.js';
import type {
  AddSendInput,
  AddSendResult,
  CounterReadResult,
  CounterReads,
  CounterRule,
  DeliveryInput,
  DeliveryUpdate,
  DispatchInput,
  StoreCheckInput,
  OptOutInput,
  StoreCheckResult,
  Store,
  TicketInput,
  TransitionInput,
  VerificationRecord,
} from './Store.js';

/** Options of {@link MemoryStore}. */
export interface MemoryStoreOptions {
  /**
   * Seconds a verification is kept after it expires, so late receipts and `get()` still find it.
   * @default 3600
   */
  retainSeconds?: number;
}

/**
 * The embedded store: one process, no dependencies. Every operation runs to completion without
 * yielding, which makes each one atomic in Node's single thread. Records are copied in and out,
 * so callers never share state with the store.
 *
 * @example
 * const checkpoint = createCheckpoint({ secret, channels, store: new MemoryStore() });
 */
export class MemoryStore implements Store {
  private readonly records = new Map<string, VerificationRecord>();
  private readonly messages = new Map<string, string>();
  /** Window counters and failure budgets (rules with `lockSeconds`, the records' destinations'). */
  private readonly counters = new MemoryCounters();
  private readonly tallies = new MemoryTallies();
  private readonly tenants = new Map<string, TenantOverrides>();
  private readonly tickets = new Map<string, { value: string; expiresAt: number }>();
  private readonly optedOut = new Map<string, Set<string>>();
  private readonly retainMs: number;
  private lastSweep = 0;

  constructor({ retainSeconds = 3_600 }: MemoryStoreOptions = {}) {
    this.retainMs = retainSeconds * 1_000;
  }

  hitCounters(
    rules: readonly CounterRule[],
    now: number,
    reads?: CounterReads,
  ): Promise<CounterReadResult> {
    this.sweep(now);
    const denied = this.counters.denial(rules, now);
    if (denied !== undefined) {
      if (reads?.tallies !== undefined) this.tallies.apply(reads.tallies, false, now);
      return Promise.resolve({ allowed: false, ...denied });
    }
    this.counters.add(rules, now);
    const tallies =
      reads?.tallies === undefined ? undefined : this.tallies.apply(reads.tallies, true, now);
    const optOuts =
      reads?.optOuts === undefined
        ? undefined
        : this.optedOutMedia(reads.optOuts.tenantId, reads.optOuts.destinationHash);
    const create = reads?.create;
    const created =
      create !== undefined && (optOuts ?? []).length === 0 && !this.records.has(create.id);
    if (created) this.records.set(create.id, cloneRecord(create));
    return Promise.resolve({
      allowed: true,
      ...(optOuts === undefined ? {} : { optOuts }),
      ...(create === undefined ? {} : { created }),
      ...(tallies === undefined ? {} : { tallies }),
    });
  }

  create(record: VerificationRecord): Promise<void> {
    this.records.set(record.id, cloneRecord(record));
    return Promise.resolve();
  }

  get(id: string): Promise<VerificationRecord | null> {
    const record = this.live(id);
    return Promise.resolve(record === undefined ? null : cloneRecord(record));
  }

  check(input: StoreCheckInput): Promise<StoreCheckResult> {
    const { counters = [], now } = input;
    const denied = this.counters.denial(counters, now);
    if (denied !== undefined) return Promise.resolve({ outcome: 'rate_limited', ...denied });
    const result = this.checkRecord(input);
    // Reserve-then-refund in one step: every answer but an approval keeps its unit.
    if (result.outcome !== 'approved') {
      this.counters.add(
        counters.map((rule) => ({
          key: rule.key,
          limit: rule.limit,
          windowSeconds: rule.windowSeconds,
          cost: 1,
        })),
        now,
      );
    }
    return Promise.resolve(result);
  }

  private checkRecord({ id, candidates, binding, now }: StoreCheckInput): StoreCheckResult {
    const record = this.live(id);
    if (
      record === undefined ||
      record.status === 'approved' ||
      (binding.tenantId !== undefined && binding.tenantId !== record.tenantId) ||
      (binding.purpose !== undefined && binding.purpose !== record.purpose) ||
      (binding.subject !== undefined && binding.subject !== record.subject)
    ) {
      return { outcome: 'not_found' };
    }
    const done = (
      outcome: 'approved' | 'failed' | 'expired' | 'max_attempts' | 'canceled',
      transitioned: boolean,
      evaluated: boolean,
    ): StoreCheckResult => ({ outcome, record: cloneRecord(record), transitioned, evaluated });

    if (record.status !== 'pending') return done(record.status, false, false);
    if (now >= record.expiresAt) {
      record.status = 'expired';
      return done('expired', true, false);
    }
    const budgetKey = failureBudgetKey(record);
    const budget = this.counters.budget(budgetKey);
    if (record.attempts >= record.maxAttempts || budgetLocked(budget, now)) {
      record.status = 'max_attempts';
      return done('max_attempts', true, false);
    }
    record.attempts += 1;
    // Compare against every stored hash without stopping early.
    let match = false;
    for (const stored of record.codeHashes) {
      for (const candidate of candidates) match = safeEqual(stored, candidate) || match;
    }
    if (match) {
      record.status = 'approved';
      this.counters.clear(budgetKey);
      return done('approved', true, true);
    }
    this.counters.fail(
      budgetKey,
      {
        limit: record.failureLimit,
        windowMs: record.failureWindowSeconds * 1_000,
        lockMs: (record.failureLockSeconds ?? 0) * 1_000,
      },
      now,
    );
    const locked = record.attempts >= record.maxAttempts;
    if (locked) record.status = 'max_attempts';
    return {
      outcome: 'failed',
      record: cloneRecord(record),
      transitioned: locked,
      evaluated: true,
    };
  }

  addSend({
    id,
    codeHash,
    channel,
    now,
    enforceCooldown,
    expectedChannel,
  }: AddSendInput): Promise<AddSendResult> {
    const record = this.live(id);
    if (record === undefined) return Promise.resolve({ ok: false, reason: 'not_found' });
    const snapshot = (): VerificationRecord => cloneRecord(record);
    if (record.status !== 'pending' || now >= record.expiresAt) {
      return Promise.resolve({ ok: false, reason: 'not_pending', record: snapshot() });
    }
    if (expectedChannel !== undefined && record.channel !== expectedChannel) {
      return Promise.resolve({ ok: false, reason: 'channel_changed', record: snapshot() });
    }
    if (record.sends >= record.maxSends)
      return Promise.resolve({ ok: false, reason: 'max_sends', record: snapshot() });
    if (enforceCooldown) {
      const waitMs = record.resendCooldownSeconds * 1_000 * 2 ** (record.sends - 1);
      const readyAt = record.lastSentAt + waitMs;
      if (now < readyAt) {
        return Promise.resolve({
          ok: false,
          reason: 'cooldown',
          retryAfter: Math.ceil((readyAt - now) / 1_000),
          record: snapshot(),
        });
      }
    }
    record.sends += 1;
    record.codeHashes.push(codeHash);
    record.channel = channel;
    record.lastSentAt = now;
    return Promise.resolve({ ok: true, record: snapshot() });
  }

  recordDispatch({
    id,
    channel,
    providerMessageId,
    status,
    errorCode,
    now,
  }: DispatchInput): Promise<boolean> {
    const record = this.live(id);
    if (record === undefined) return Promise.resolve(false);
    record.channel = channel;
    record.deliveries.push({
      channel,
      status,
      sentAt: now,
      updatedAt: now,
      ...(providerMessageId === undefined ? {} : { providerMessageId }),
      ...(errorCode === undefined ? {} : { errorCode }),
    });
    if (providerMessageId !== undefined)
      this.messages.set(messageKey(channel, providerMessageId), id);
    return Promise.resolve(true);
  }

  recordDelivery({
    channel,
    providerMessageId,
    status,
    errorCode,
    now,
  }: DeliveryInput): Promise<DeliveryUpdate | null> {
    const id = this.messages.get(messageKey(channel, providerMessageId));
    const record = id === undefined ? undefined : this.live(id);
    const delivery = record?.deliveries.find(
      (entry) => entry.channel === channel && entry.providerMessageId === providerMessageId,
    );
    if (record === undefined || delivery === undefined) return Promise.resolve(null);
    const previous = delivery.status;
    const applied = advancesDelivery(previous, status);
    if (applied) {
      delivery.status = status;
      delivery.updatedAt = now;
      if (errorCode !== undefined) delivery.errorCode = errorCode;
    }
    const isCurrent = record.channel === channel && record.deliveries.at(-1) === delivery;
    return Promise.resolve({
      record: cloneRecord(record),
      delivery: { ...delivery },
      previous,
      applied,
      isCurrent,
    });
  }

  transition({
    id,
    to,
    now,
  }: TransitionInput): Promise<{ record: VerificationRecord; changed: boolean } | null> {
    const record = this.live(id);
    if (record === undefined) return Promise.resolve(null);
    const changed = record.status === 'pending' && (to === 'canceled' || now >= record.expiresAt);
    if (changed) record.status = to;
    return Promise.resolve({ record: cloneRecord(record), changed });
  }

  getTenantConfig(tenantId: string): Promise<TenantOverrides | null> {
    const config = this.tenants.get(tenantId);
    return Promise.resolve(config === undefined ? null : structuredClone(config));
  }

  setTenantConfig(tenantId: string, overrides: TenantOverrides): Promise<void> {
    this.tenants.set(tenantId, structuredClone(overrides));
    return Promise.resolve();
  }

  setOptOut({ tenantId, destinationHash, medium, optedOut }: OptOutInput): Promise<boolean> {
    const key = `${tenantId}\0${destinationHash}`;
    const media = this.optedOut.get(key) ?? new Set<string>();
    const changed = media.has(medium) !== optedOut;
    if (optedOut) media.add(medium);
    else media.delete(medium);
    if (media.size === 0) this.optedOut.delete(key);
    else this.optedOut.set(key, media);
    return Promise.resolve(changed);
  }

  optOuts(tenantId: string, destinationHash: string): Promise<string[]> {
    return Promise.resolve(this.optedOutMedia(tenantId, destinationHash));
  }

  private optedOutMedia(tenantId: string, destinationHash: string): string[] {
    return [...(this.optedOut.get(`${tenantId}\0${destinationHash}`) ?? [])].sort();
  }

  putTicket({ key, value, ttlSeconds, now, replace = false }: TicketInput): Promise<boolean> {
    this.sweep(now);
    const held = this.tickets.get(key);
    if (!replace && held !== undefined && now < held.expiresAt) return Promise.resolve(false);
    this.tickets.set(key, { value, expiresAt: now + ttlSeconds * 1_000 });
    return Promise.resolve(true);
  }

  takeTicket(key: string, now: number): Promise<string | null> {
    const held = this.tickets.get(key);
    this.tickets.delete(key);
    return Promise.resolve(held === undefined || now >= held.expiresAt ? null : held.value);
  }

  readTicket(key: string, now: number): Promise<string | null> {
    const held = this.tickets.get(key);
    return Promise.resolve(held === undefined || now >= held.expiresAt ? null : held.value);
  }

  /** Everything the store holds, serialised: for tests that prove no plaintext code is kept. */
  dump(): string {
    return JSON.stringify({
      records: [...this.records.values()],
      messages: [...this.messages.entries()],
      ...this.counters.entries(),
      tenants: [...this.tenants.entries()],
      tickets: [...this.tickets.entries()],
      optedOut: [...this.optedOut.entries()].map(([key, media]) => [key, [...media]]),
    });
  }

  private live(id: string): VerificationRecord | undefined {
    const record = this.records.get(id);
    if (record !== undefined && this.lastSweep > record.expiresAt + this.retainMs) {
      this.forget(record);
      return undefined;
    }
    return record;
  }

  /** Drops expired records and counters, at most once a minute of store time. */
  private sweep(now: number): void {
    if (now < this.lastSweep + 60_000) return;
    this.lastSweep = now;
    for (const record of this.records.values()) {
      if (now > record.expiresAt + this.retainMs) this.forget(record);
    }
    this.counters.sweep(now);
    this.tallies.sweep(now);
    for (const [key, ticket] of this.tickets) if (now >= ticket.expiresAt) this.tickets.delete(key);
  }

  private forget(record: VerificationRecord): void {
    this.records.delete(record.id);
    for (const delivery of record.deliveries) {
      if (delivery.providerMessageId !== undefined)
        this.messages.delete(messageKey(delivery.channel, delivery.providerMessageId));
    }
  }
}

function messageKey(channel: string, providerMessageId: string): string {
  return `${channel}\u0000${providerMessageId}`;
}
