import {
  type Checkpoint,
  CheckpointError,
  type CheckInput,
  type CheckStatus,
  type Clock,
  isCheckpointError,
  type TenantConfig,
} from '@checkpoint/core';
import type { RouterKeys } from '../RouterKeys.js';
import { type CountedWindow, countSend, windowsFor } from '../sendWindows.js';
import { type DecoyFacts, decodeDecoyId, encodeDecoyId, idShard } from './decoyId.js';
import { hasMarker, readableCounter, setMarker } from './readableCounter.js';

/** @internal Who a decoy is bound to, as a real verification is (tenant, subject, purpose). */
export interface DecoyBinding {
  tenantId: string;
  /** The subject binding, or '' when the router binds none. */
  subject: string;
  /** The purpose `/check` binds, or '' when it binds none. */
  purpose: string;
}

/** @internal A decoy read back from its id. */
export interface Decoy extends DecoyFacts {
  id: string;
  shard: string;
  binding: DecoyBinding;
}

/**
 * @internal
 * Answers for accounts that do not exist, indistinguishable from a real verification's: the same
 * id format, a decoy `check` that counts down attempts to `max_attempts`, resend cooldowns and
 * `maxSends`, cancel, expiry and retention, and a failure budget that locks as a real
 * destination's does — with the state kept in `checkpoint.rateLimit` counters (shared by every
 * process) and the facts sealed into the id itself.
 */
export class Decoys {
  constructor(
    private readonly checkpoint: Checkpoint,
    private readonly keys: RouterKeys,
    private readonly clock: Pick<Clock, 'now'>,
    private readonly retainMs: number,
  ) {}

  /** Starts a decoy for `identifier`, counted on the velocity windows a real destination has. */
  async send(input: {
    binding: DecoyBinding;
    identifier: string;
    channel: string;
    config: TenantConfig;
  }): Promise<{ id: string; channel: string; expiresAt: number }> {
    const { binding, identifier, channel, config } = input;
    const shard = this.keys.decoyShard(binding.tenantId, identifier);
    await countSend(
      this.checkpoint,
      [
        ...this.destinationWindows(binding, shard, config),
        this.failureBudget(binding, shard, config),
      ],
      (reason, wait) => `too many codes requested (${reason}); retry in ${wait} s`,
    );
    const now = this.clock.now();
    const expiresAt = now + config.ttlSeconds * 1_000;
    const key = this.keys.decoyCipherKeys(binding, shard)[0] as Buffer;
    const id = encodeDecoyId(key, shard, { expiresAt, maxAttempts: config.maxAttempts });
    // The first resend waits for the cooldown, as core's does; this is the decoy's "create".
    if (config.resendCooldownSeconds > 0) {
      await setMarker(this.checkpoint, stateKey('w', id, 0), config.resendCooldownSeconds);
    }
    return { id, channel, expiresAt };
  }

  /** The decoy behind `id` under this binding, or undefined for a real (or unknown) id. */
  read(id: string, binding: DecoyBinding): Decoy | undefined {
    const shard = idShard(id);
    if (shard === undefined) return undefined;
    const facts = decodeDecoyId(this.keys.decoyCipherKeys(binding, shard), id);
    // Past retention a real verification is gone from the store: so is a decoy.
    if (facts === undefined || this.clock.now() >= facts.expiresAt + this.retainMs)
      return undefined;
    return { ...facts, id, shard, binding };
  }

  /**
   * A check of a decoy, answered as core's store answers one of a real verification: `failed`
   * with one attempt fewer each time, then `max_attempts`; canceled and expired; and while the
   * failure budget is locked, `max_attempts` without spending an attempt, for good.
   */
  async check(
    decoy: Decoy,
    input: CheckInput,
  ): Promise<{ status: CheckStatus; remainingAttempts: number }> {
    const window = this.window(decoy);
    const attemptsKey = {
      key: stateKey('a', decoy.id),
      max: decoy.maxAttempts,
      windowSeconds: window,
    };
    // Core validates the code, looks the id up and charges the check's limits, as for a real id
    // (the store does not know it).
    const [real, canceled, ended, before, config] = await Promise.all([
      unlessNotFound(this.checkpoint.check(input)),
      hasMarker(this.checkpoint, stateKey('x', decoy.id), window),
      hasMarker(this.checkpoint, stateKey('m', decoy.id), window),
      readableCounter(this.checkpoint, { ...attemptsKey, cost: 0 }),
      this.checkpoint.config(decoy.binding.tenantId),
    ]);
    if (real !== undefined) return real;
    const left = decoy.maxAttempts - before;
    if (before >= decoy.maxAttempts) return { status: 'max_attempts', remainingAttempts: 0 };
    if (ended.present) return { status: 'max_attempts', remainingAttempts: left };
    if (canceled.present || this.clock.now() >= decoy.expiresAt) {
      return { status: canceled.present ? 'canceled' : 'expired', remainingAttempts: left };
    }
    // Every code is wrong for a decoy: one failure on its budget, unless that budget is locked,
    // which ends the decoy as a locked budget ends a real verification.
    const budget = this.failureBudget(decoy.binding, decoy.shard, config);
    const failure = await this.checkpoint.rateLimit({
      key: budget.key,
      limit: budget.limit,
      windowSeconds: budget.windowSeconds,
      lockSeconds: budget.lockSeconds,
    });
    if (!failure.allowed) {
      await setMarker(this.checkpoint, stateKey('m', decoy.id), window);
      return { status: 'max_attempts', remainingAttempts: left };
    }
    const counted = await readableCounter(this.checkpoint, { ...attemptsKey, cost: 1 });
    return { status: 'failed', remainingAttempts: Math.max(0, decoy.maxAttempts - counted - 1) };
  }

  /** A resend of a decoy, refused for the same reasons and with the same messages as core's. */
  async resend(
    decoy: Decoy,
    input: { channel: string; config: TenantConfig },
  ): Promise<{ id: string; channel: string; expiresAt: number }> {
    const { config } = input;
    const window = this.window(decoy);
    const [canceled, ended, attempts, resends] = await Promise.all([
      hasMarker(this.checkpoint, stateKey('x', decoy.id), window),
      hasMarker(this.checkpoint, stateKey('m', decoy.id), window),
      readableCounter(this.checkpoint, {
        key: stateKey('a', decoy.id),
        max: decoy.maxAttempts,
        windowSeconds: window,
        cost: 0,
      }),
      readableCounter(this.checkpoint, {
        key: stateKey('s', decoy.id),
        max: Math.max(0, config.maxSends - 1),
        windowSeconds: window,
        cost: 0,
      }),
    ]);
    const now = this.clock.now();
    if (
      canceled.present ||
      ended.present ||
      attempts >= decoy.maxAttempts ||
      now >= decoy.expiresAt
    ) {
      throw new CheckpointError('not_found', 'no pending verification with this id');
    }
    if (1 + resends >= config.maxSends) {
      throw new CheckpointError(
        'rate_limited',
        `no more codes can be sent for this verification (maxSends ${config.maxSends}); start a new one later`,
        { retryAfter: (decoy.expiresAt - now) / 1_000, reasons: ['max_sends'] },
      );
    }
    if (config.resendCooldownSeconds > 0) {
      const cooling = await hasMarker(this.checkpoint, stateKey('w', decoy.id, resends), window);
      if (cooling.present) {
        throw new CheckpointError(
          'rate_limited',
          `wait ${cooling.retryAfter} s before requesting another code`,
          { retryAfter: cooling.retryAfter, reasons: ['resend_cooldown'] },
        );
      }
    }
    await countSend(
      this.checkpoint,
      [
        ...this.destinationWindows(decoy.binding, decoy.shard, config),
        this.failureBudget(decoy.binding, decoy.shard, config),
      ],
      (reason) => `too many codes requested (${reason})`,
    );
    await Promise.all([
      readableCounter(this.checkpoint, {
        key: stateKey('s', decoy.id),
        max: Math.max(0, config.maxSends - 1),
        windowSeconds: window,
        cost: 1,
      }),
      config.resendCooldownSeconds > 0
        ? setMarker(
            this.checkpoint,
            stateKey('w', decoy.id, resends + 1),
            config.resendCooldownSeconds * 2 ** (resends + 1),
          )
        : undefined,
    ]);
    return { id: decoy.id, channel: input.channel, expiresAt: decoy.expiresAt };
  }

  /** Cancels a decoy: later checks answer `canceled`, resends `not_found` (as core's cancel). */
  async cancel(decoy: Decoy): Promise<void> {
    await unlessNotFound(this.checkpoint.cancel(decoy.id));
    // Core's cancel of a verification past its expiry leaves it expired.
    if (this.clock.now() < decoy.expiresAt) {
      await setMarker(this.checkpoint, stateKey('x', decoy.id), this.window(decoy));
    }
  }

  /** Decoy state lives as long as a real record does: until expiry plus retention. */
  private window(decoy: Decoy): number {
    return Math.max(1, Math.ceil((decoy.expiresAt + this.retainMs - this.clock.now()) / 1_000));
  }

  /**
   * An unknown account's stand-in for core's failure budget of a destination, tenant and subject:
   * the same limits and locks (`checkpoint.rateLimit` with `lockSeconds`), per identifier shard,
   * tenant and subject binding — so a spent budget answers the same 429 and `max_attempts` for an
   * unknown account as for a known one.
   */
  private failureBudget(
    binding: DecoyBinding,
    shard: string,
    config: TenantConfig,
  ): CountedWindow & { lockSeconds: number } {
    const { limit, windowSeconds, lockSeconds } = config.destinationFailures;
    return {
      key: this.keys.counterKey('df', binding.tenantId, shard, binding.subject),
      limit,
      windowSeconds,
      lockSeconds,
      reason: 'destination_failures',
    };
  }

  /** An unknown account's stand-in for core's per-destination velocity caps. */
  private destinationWindows(binding: DecoyBinding, shard: string, config: TenantConfig) {
    return windowsFor(
      this.keys.counterKey('dv', binding.tenantId, shard),
      config.velocity.destination,
      'velocity:destination',
    );
  }
}

/**
 * Decoy state keys: `xd.<kind>:<id>[.<n>]` — attempts, sends, cooldown waits, canceled, and
 * ended by a locked failure budget (`m`, as a real verification moves to max_attempts).
 */
function stateKey(kind: 'a' | 's' | 'w' | 'x' | 'm', id: string, index?: number): string {
  return index === undefined ? `xd.${kind}:${id}` : `xd.${kind}:${id}.${index}`;
}

/** Runs a core call made for its comparable work on an id the store does not have. */
async function unlessNotFound<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    if (isCheckpointError(error) && error.code === 'not_found') return undefined;
    throw error;
  }
}
