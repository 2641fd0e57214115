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
import { countSend, windowsFor } from '../sendWindows.js';
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
 * `maxSends`, cancel, expiry and retention — with the state kept in `checkpoint.rateLimit`
 * counters (shared by every process) and the facts sealed into the id itself.
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
      this.destinationWindows(binding, shard, config),
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

  /** A check of a decoy: `failed` with one attempt fewer each time, then `max_attempts`. */
  async check(
    decoy: Decoy,
    input: CheckInput,
  ): Promise<{ status: CheckStatus; remainingAttempts: number }> {
    // Core validates the code and looks the id up, as for a real id (the store does not know it).
    const [real, canceled] = await Promise.all([
      unlessNotFound(this.checkpoint.check(input)),
      hasMarker(this.checkpoint, stateKey('x', decoy.id), this.window(decoy)),
    ]);
    if (real !== undefined) return real;
    const pending = !canceled.present && this.clock.now() < decoy.expiresAt;
    const before = await readableCounter(this.checkpoint, {
      key: stateKey('a', decoy.id),
      max: decoy.maxAttempts,
      windowSeconds: this.window(decoy),
      cost: pending ? 1 : 0,
    });
    if (before >= decoy.maxAttempts) return { status: 'max_attempts', remainingAttempts: 0 };
    if (!pending) {
      return {
        status: canceled.present ? 'canceled' : 'expired',
        remainingAttempts: decoy.maxAttempts - before,
      };
    }
    return { status: 'failed', remainingAttempts: decoy.maxAttempts - before - 1 };
  }

  /** A resend of a decoy, refused for the same reasons and with the same messages as core's. */
  async resend(
    decoy: Decoy,
    input: { channel: string; config: TenantConfig },
  ): Promise<{ id: string; channel: string; expiresAt: number }> {
    const { config } = input;
    const window = this.window(decoy);
    const [canceled, attempts, resends] = await Promise.all([
      hasMarker(this.checkpoint, stateKey('x', decoy.id), window),
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
    if (canceled.present || attempts >= decoy.maxAttempts || now >= decoy.expiresAt) {
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
      this.destinationWindows(decoy.binding, decoy.shard, config),
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

  /** An unknown account's stand-in for core's per-destination velocity caps. */
  private destinationWindows(binding: DecoyBinding, shard: string, config: TenantConfig) {
    return windowsFor(
      this.keys.counterKey('dv', binding.tenantId, shard),
      config.velocity.destination,
      'velocity:destination',
    );
  }
}

/** Decoy state keys: `xd.<kind>:<id>[.<n>]`. */
function stateKey(kind: 'a' | 's' | 'w' | 'x', id: string, index?: number): string {
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
