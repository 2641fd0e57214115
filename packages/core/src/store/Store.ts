import type { TenantOverrides } from '../config/TenantConfig.js';
import type { Destination } from '../destination/normalizeDestination.js';

/** Lifecycle status of a verification. Only `pending` moves; the others are final. */
export type VerificationStatus = 'pending' | 'approved' | 'expired' | 'max_attempts' | 'canceled';

/** Delivery states a channel or a provider receipt reports, in provider-neutral words. */
export type DeliveryStatus =
  | 'queued'
  | 'sending'
  | 'sent'
  | 'delivered'
  | 'read'
  | 'undelivered'
  | 'failed'
  | 'canceled';

/** One message sent (or tried) for a verification. */
export interface DeliveryRecord {
  channel: string;
  providerMessageId?: string;
  status: DeliveryStatus;
  sentAt: number;
  updatedAt: number;
  errorCode?: string;
}

/**
 * A verification as a store keeps it. Everything a check needs is in here, so a check is one
 * store operation with no configuration read. `codeHashes` are keyed hashes, never codes.
 */
export interface VerificationRecord {
  id: string;
  tenantId: string;
  purpose: string;
  subject?: string;
  to: Destination;
  /** Keyed hash of the primary destination: the key of its failure budget. */
  destinationHash: string;
  /** What the code approves, shown in the message (an action-bound step-up), when given. */
  approving?: string;
  /** Channel names in fallback order, and the one in use now. */
  channels: string[];
  channel: string;
  status: VerificationStatus;
  attempts: number;
  maxAttempts: number;
  sends: number;
  maxSends: number;
  /** Base resend cooldown; the n-th resend waits `base * 2^(n-1)` seconds. */
  resendCooldownSeconds: number;
  codeLength: number;
  locale: string;
  codeHashes: string[];
  /**
   * The failure budget across verifications of this destination, tenant and subject (key
   * `failureBudgetKey`): `failureLimit` wrong codes per lock, in a window of `failureWindowSeconds`,
   * the first lock `failureLockSeconds` long (doubling; see `FailureBudget`). Absent or 0: the
   * first `failureLimit` lock the budget until its window ends.
   */
  failureLimit: number;
  failureWindowSeconds: number;
  failureLockSeconds?: number;
  createdAt: number;
  expiresAt: number;
  lastSentAt: number;
  deliveries: DeliveryRecord[];
  /**
   * Kept when a pumping guard counted the send for conversion, so that its approval counts where
   * the send did: the sender's network (client IP /24 or /48) as a keyed 32-bit id, 0 for none.
   */
  network?: number;
}

/**
 * A window counter: at most `limit` hits per `windowSeconds`, the window starting at the first hit.
 * With `lockSeconds` it is a failure budget instead: it refuses only while locked, and every
 * `limit`-th hit locks it — for `lockSeconds`, doubling with each lock in the window, never past the
 * window's end; the lock that would let the window's count pass 100 (NIST SP 800-63B §3.2.2), or
 * any lock when `lockSeconds` is 0, lasts until the window ends. A store keeps budgets and plain
 * counters apart by their rules; one key is always used with one kind.
 */
export interface CounterRule {
  key: string;
  limit: number;
  windowSeconds: number;
  /** 1 to count this request; 0 to only test that the counter is below its limit (or unlocked). */
  cost: 0 | 1;
  /** Makes the counter a failure budget whose first lock lasts this long (0: until the window ends). */
  lockSeconds?: number;
}

export type CounterResult = { allowed: true } | { allowed: false; key: string; retryAfter: number };

/**
 * What {@link Store.hitCounters} may read alongside the counters, so that a send makes one round
 * trip where it would make two. A store that ignores it answers without `optOuts`, and the caller
 * asks {@link Store.optOuts} instead.
 */
export interface CounterReads {
  /** The opt-outs of this destination, as {@link Store.optOuts} answers them. */
  optOuts?: { tenantId: string; destinationHash: string };
  /**
   * A verification to {@link Store.create} in the same atomic step, only when the counters allow
   * and the destination of `optOuts` (when asked) has no opt-outs; the answer then says
   * `created: true`. Anything else — refused, opted out, or a store that cannot combine them —
   * leaves it uncreated, and the caller decides and calls `create` itself.
   */
  create?: VerificationRecord;
  /**
   * Tallies to add to and read in the same step ({@link TallyOp}). Every store honours them: an
   * allowed answer carries `tallies`, one judged sum per op in this order (0 for an op that does
   * not ask for one).
   */
  tallies?: readonly TallyOp[];
}

/**
 * One operation on a tally: counts kept per time bucket under one key, in families (`s` sends,
 * `a` approvals), for guards that judge a ratio over a trailing window — leaving out what is too
 * recent to judge. The judged range at `now` is the buckets that started at or after
 * `now - windowSeconds` and ended at or before `now - graceSeconds`. A tally's shape (`families`,
 * `bucketSeconds`, `windowSeconds`, `graceSeconds`) is the same in every op on it; a store may keep
 * running sums of the judged range so that reading it costs the same whatever the window's length.
 * An add to a bucket that already left the window is dropped; a tally is forgotten once its newest
 * bucket left the window.
 */
export interface TallyOp {
  key: string;
  /** Every count the tally keeps, short names of letters (`['s', 'a']`); the same list in every op on it. */
  families: readonly string[];
  /** The count this op adds to or reads. */
  family: string;
  bucketSeconds: number;
  windowSeconds: number;
  graceSeconds: number;
  /**
   * Adds `count` (a whole number, default 1; negative takes back) to the bucket holding `at` (epoch
   * ms). The add is made only when the counters allow, unless `always` (an attempt that counts even
   * when refused).
   */
  add?: { at: number; count?: number; always?: boolean };
  /** Reads the family's sum over the judged range. */
  judged?: boolean;
}

/**
 * {@link CounterResult}; when the counters allowed, the opt-outs if they were asked for,
 * `created: true` if `create` was asked for and done, and the judged sums of `tallies` (0 for an
 * op without `judged`) when they were given.
 */
export type CounterReadResult = CounterResult & {
  optOuts?: string[];
  created?: boolean;
  tallies?: number[];
};

/** The subject a check must match; fields left undefined are not compared. */
export interface CheckBinding {
  tenantId?: string;
  purpose?: string;
  subject?: string;
}

export interface StoreCheckInput {
  id: string;
  /** The code's hash under every configured key; a match with any stored hash approves. */
  candidates: string[];
  binding: CheckBinding;
  now: number;
  /**
   * Window counters the check is charged to (failed checks per client across verifications), in
   * the check's own atomic step: each must have room (count + 1 <= limit) or the answer is
   * `rate_limited` and nothing else happens; every answer but `approved` then adds one to each.
   * That is "reserve a unit before comparing, give it back on approval" as one step, so any
   * number of concurrent checks gets at most `limit` codes compared. `cost` is ignored.
   */
  counters?: readonly CounterRule[];
}

export type StoreCheckResult =
  | { outcome: 'not_found' }
  /** A counter of `counters` had no room: the verification was not read, nothing was spent. */
  | { outcome: 'rate_limited'; key: string; retryAfter: number }
  | {
      outcome: 'approved' | 'failed' | 'expired' | 'max_attempts' | 'canceled';
      record: VerificationRecord;
      /** True when this call moved the status (so its event is recorded once). */
      transitioned: boolean;
      /** True when the code was compared (an attempt was spent). */
      evaluated: boolean;
    };

export interface AddSendInput {
  id: string;
  codeHash: string;
  channel: string;
  now: number;
  /** Resends honour the growing cooldown; system fallback does not. */
  enforceCooldown: boolean;
  /** Compare-and-set: only add when this is still the current channel (fallback races). */
  expectedChannel?: string;
}

export type AddSendResult =
  | { ok: true; record: VerificationRecord }
  | {
      ok: false;
      reason: 'not_found' | 'not_pending' | 'max_sends' | 'channel_changed';
      record?: VerificationRecord;
    }
  | { ok: false; reason: 'cooldown'; retryAfter: number; record: VerificationRecord };

export interface DispatchInput {
  id: string;
  /** The verification's expiry: a store keeps its message index no longer than the verification. */
  expiresAt: number;
  channel: string;
  providerMessageId?: string;
  status: DeliveryStatus;
  errorCode?: string;
  now: number;
}

export interface DeliveryInput {
  channel: string;
  providerMessageId: string;
  status: DeliveryStatus;
  errorCode?: string;
  now: number;
}

export interface DeliveryUpdate {
  record: VerificationRecord;
  delivery: DeliveryRecord;
  previous: DeliveryStatus;
  /** False for a duplicate or an out-of-order receipt that would move the state backwards. */
  applied: boolean;
  /** True when the message belongs to the channel currently in use. */
  isCurrent: boolean;
}

export interface TransitionInput {
  id: string;
  to: 'canceled' | 'expired';
  now: number;
}

/**
 * The atomic operations the verification lifecycle needs. Every method is one atomic step: two
 * processes calling `check` on one id at once must see exactly one approval. MemoryStore is the
 * embedded implementation; `@checkpoint/redis` provides RedisStore. Both pass the conformance
 * suite exported from `@checkpoint/core/testing`.
 *
 * Stores throw on failure (connection lost, timeout); core turns any such error into
 * `CheckpointError('store_unavailable')` and never approves.
 */
export interface Store {
  /**
   * Tests every rule, and only when all pass adds each rule's cost: all-or-nothing. With `reads`,
   * an allowed answer may carry those reads too (`optOuts`); stores that cannot combine them
   * leave them out. Tallies (`reads.tallies`) are always honoured: their `always` adds are made
   * whatever the answer, the others and the sums only when the counters allow.
   */
  hitCounters(
    rules: readonly CounterRule[],
    now: number,
    reads?: CounterReads,
  ): Promise<CounterReadResult>;
  /** Stores a new verification; keeps it until well after `expiresAt` (for audit and receipts). */
  create(record: VerificationRecord): Promise<void>;
  get(id: string): Promise<VerificationRecord | null>;
  /**
   * Evaluates a code, atomically:
   * - unknown id, a binding mismatch or an already approved verification -> `not_found`, no attempt spent;
   * - canceled / max_attempts / expired (now >= expiresAt) -> that outcome, no attempt spent;
   * - the failure budget of the record's destination, tenant and subject locked -> `max_attempts`;
   * - otherwise one attempt is spent; a match approves (and clears that budget), a miss counts
   *   against the verification and the budget (which may lock it), locking at maxAttempts.
   * With `counters`, they are tested before all of this (`rate_limited` when one is full) and
   * charged after it, unless it approved — in the same atomic step where the store can (a store
   * whose counters live elsewhere, such as Redis Cluster, reserves first and refunds an approval).
   */
  check(input: StoreCheckInput): Promise<StoreCheckResult>;
  /** Adds a newly sent code (resend or fallback) to a pending verification, within maxSends. */
  addSend(input: AddSendInput): Promise<AddSendResult>;
  /**
   * Records a dispatch attempt on a channel, which becomes the current channel. False for an
   * unknown (or no longer kept) verification.
   */
  recordDispatch(input: DispatchInput): Promise<boolean>;
  /** Applies a provider receipt through the monotonic delivery state machine; null for an unknown message. */
  recordDelivery(input: DeliveryInput): Promise<DeliveryUpdate | null>;
  /** Moves a pending verification to canceled, or to expired once its time is up. */
  transition(
    input: TransitionInput,
  ): Promise<{ record: VerificationRecord; changed: boolean } | null>;
  getTenantConfig(tenantId: string): Promise<TenantOverrides | null>;
  setTenantConfig(tenantId: string, overrides: TenantOverrides): Promise<void>;
  /**
   * Keeps a single-use value — a WebAuthn challenge, an OIDC state, a step-up grant — for
   * `ttlSeconds` of the caller's clock. Resolves false, storing nothing, when the key is taken.
   */
  putTicket(input: TicketInput): Promise<boolean>;
  /**
   * Returns a ticket's value and deletes it in the same atomic step, so that of any number of
   * concurrent callers exactly one gets it; null when it is unknown, taken or past its time.
   */
  takeTicket(key: string, now: number): Promise<string | null>;
  /**
   * Returns a ticket's value without taking it — for markers many requests read, such as a
   * signed-out session; null when it is unknown, taken or past its time.
   */
  readTicket(key: string, now: number): Promise<string | null>;
  /**
   * Records that a destination opted out of (or back into) a medium for a tenant — carrier STOP /
   * START keywords. Kept until changed: no TTL. Resolves true when the state changed.
   */
  setOptOut(input: OptOutInput): Promise<boolean>;
  /** The media a destination opted out of for a tenant (empty when none). */
  optOuts(tenantId: string, destinationHash: string): Promise<string[]>;
  /** Releases what the store opened itself (never a client it was given). `checkpoint.close()` calls it. */
  close?(): Promise<void>;
}

/** Input of {@link Store.setOptOut}. */
export interface OptOutInput {
  tenantId: string;
  destinationHash: string;
  /** The medium opted out of, e.g. `sms`. */
  medium: string;
  optedOut: boolean;
}

/** A single-use value for {@link Store.putTicket}. */
export interface TicketInput {
  /** Chosen by the caller; namespace it (`webauthn:challenge:…`). At most 256 characters. */
  key: string;
  value: string;
  /** Lifetime in seconds, at least 1. */
  ttlSeconds: number;
  /** The caller's clock, epoch milliseconds. */
  now: number;
  /**
   * Stores the value even when the key is held, replacing it (a marker that moves forward, such
   * as "sessions before this time are revoked"). Resolves true. @default false
   */
  replace?: boolean;
}
