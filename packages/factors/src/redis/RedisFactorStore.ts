import { createHash } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import type {
  FactorOwner,
  FactorStore,
  RecoveryCodeSet,
  RememberedDevice,
  TotpRecord,
  TotpState,
} from '../store/FactorStore.js';
import { SCRIPTS, type ScriptName } from './scripts.js';

/** Options of {@link RedisFactorStore}. */
export interface RedisFactorStoreOptions {
  /** An ioredis `Redis` or `Cluster`; fail-closed settings recommended (`enableOfflineQueue: false`, `commandTimeout`). */
  redis: Redis | Cluster;
  /** Prepended to every key; no braces or spaces. @default 'cpf:' */
  prefix?: string;
}

type Caller = (keys: string[], args: Array<string | number>) => Promise<unknown>;

/**
 * A {@link FactorStore} on Redis or Redis Cluster. An owner's keys share one hash tag
 * (`{f:<digest of tenant and user>}`), so each atomic step is one Lua script on one slot. TOTP
 * secrets arrive sealed and recovery codes as keyed hashes: nothing here is a secret in clear.
 *
 * @example const store = new RedisFactorStore({ redis: new Redis(process.env.REDIS_URL) });
 * @see RFC 6238 §5.2; NIST SP 800-63B rev 4 §3.1.2
 */
export class RedisFactorStore implements FactorStore {
  private readonly redis: Redis | Cluster;
  private readonly prefix: string;
  private readonly scripts: Record<ScriptName, Caller>;

  constructor({ redis, prefix = 'cpf:' }: RedisFactorStoreOptions) {
    if (typeof (redis as Redis | undefined)?.defineCommand !== 'function') {
      throw new TypeError(
        'RedisFactorStore requires `redis`: an ioredis Redis or Cluster instance',
      );
    }
    if (typeof prefix !== 'string' || prefix.length > 64 || /[{}\s]/.test(prefix)) {
      throw new TypeError(
        'RedisFactorStore `prefix` must be at most 64 characters without braces or spaces',
      );
    }
    this.redis = redis;
    this.prefix = prefix;
    this.scripts = defineScripts(redis);
  }

  private key(owner: FactorOwner, part: 'totp' | 'rc' | 'rcAt' | 'dev'): string {
    const digest = createHash('sha256')
      .update(`${owner.tenantId}\u0000${owner.userId}`)
      .digest('base64url')
      .slice(0, 22);
    return `${this.prefix}{f:${digest}}:${part}`;
  }

  async getTotp(owner: FactorOwner, now: number): Promise<TotpState> {
    const held = await this.redis.hgetall(this.key(owner, 'totp'));
    const state: TotpState = {};
    if (held.active !== undefined) {
      const active = JSON.parse(held.active) as TotpRecord;
      if (held.confirmedAt !== undefined) active.confirmedAt = Number(held.confirmedAt);
      state.active = active;
    }
    const expires = Number(held.pendingExp);
    if (held.pending !== undefined && now < expires) {
      state.pending = JSON.parse(held.pending) as TotpRecord;
      state.pendingExpiresAt = expires;
    }
    if (held.last !== undefined) state.lastStep = Number(held.last);
    return state;
  }

  async putPendingTotp(owner: FactorOwner, record: TotpRecord, expiresAt: number): Promise<void> {
    const { confirmedAt: _never, ...pending } = record;
    await this.redis.hset(this.key(owner, 'totp'), {
      pending: JSON.stringify(pending),
      pendingId: record.id,
      pendingExp: String(expiresAt),
    });
  }

  async activateTotp(
    owner: FactorOwner,
    { id, step, now }: { id: string; step: number; now: number },
  ): Promise<TotpRecord | null> {
    const done = await this.scripts.cpfActivateTotp([this.key(owner, 'totp')], [id, step, now]);
    if (Number(done) !== 1) return null;
    return (await this.getTotp(owner, now)).active ?? null;
  }

  async useTotpStep(
    owner: FactorOwner,
    { id, step, resealed }: { id: string; step: number; resealed?: TotpRecord },
  ): Promise<boolean> {
    // Stored as activateTotp stores it: confirmedAt lives in a field of its own.
    const record =
      resealed === undefined || resealed.id !== id
        ? ''
        : JSON.stringify({ ...resealed, confirmedAt: undefined });
    return (
      Number(await this.scripts.cpfUseTotpStep([this.key(owner, 'totp')], [id, step, record])) === 1
    );
  }

  async deleteTotp(owner: FactorOwner, id?: string): Promise<boolean> {
    return Number(await this.scripts.cpfDeleteTotp([this.key(owner, 'totp')], [id ?? ''])) === 1;
  }

  async replaceRecoveryCodes(owner: FactorOwner, set: RecoveryCodeSet): Promise<void> {
    await this.scripts.cpfReplaceCodes(
      [this.key(owner, 'rc'), this.key(owner, 'rcAt')],
      [set.createdAt, ...set.hashes],
    );
  }

  async useRecoveryCode(
    owner: FactorOwner,
    candidates: readonly string[],
  ): Promise<{ used: true; remaining: number } | { used: false }> {
    if (candidates.length === 0) return { used: false };
    const left = Number(await this.scripts.cpfUseCode([this.key(owner, 'rc')], [...candidates]));
    return left < 0 ? { used: false } : { used: true, remaining: left };
  }

  async recoveryCodes(
    owner: FactorOwner,
  ): Promise<{ remaining: number; createdAt: number } | null> {
    const [remaining, createdAt] = await Promise.all([
      this.redis.scard(this.key(owner, 'rc')),
      this.redis.get(this.key(owner, 'rcAt')),
    ]);
    return createdAt === null ? null : { remaining, createdAt: Number(createdAt) };
  }

  async putDevice(owner: FactorOwner, device: RememberedDevice): Promise<void> {
    const key = this.key(owner, 'dev');
    const expired = Object.entries(await this.redis.hgetall(key))
      .filter(([, json]) => (JSON.parse(json) as RememberedDevice).expiresAt <= device.createdAt)
      .map(([id]) => id);
    if (expired.length > 0) await this.redis.hdel(key, ...expired);
    await this.redis.hset(key, device.id, JSON.stringify(device));
  }

  async getDevice(owner: FactorOwner, id: string, now: number): Promise<RememberedDevice | null> {
    const json = await this.redis.hget(this.key(owner, 'dev'), id);
    if (json === null) return null;
    const device = JSON.parse(json) as RememberedDevice;
    return now < device.expiresAt ? device : null;
  }

  async listDevices(owner: FactorOwner, now: number): Promise<RememberedDevice[]> {
    return Object.values(await this.redis.hgetall(this.key(owner, 'dev')))
      .map((json) => JSON.parse(json) as RememberedDevice)
      .filter((device) => now < device.expiresAt)
      .sort((a, b) => a.createdAt - b.createdAt);
  }

  async deleteDevice(owner: FactorOwner, id: string): Promise<boolean> {
    return (await this.redis.hdel(this.key(owner, 'dev'), id)) === 1;
  }

  async deleteDevices(owner: FactorOwner): Promise<number> {
    return Number(await this.scripts.cpfDeleteDevices([this.key(owner, 'dev')], []));
  }
}

function defineScripts(redis: Redis | Cluster): Record<ScriptName, Caller> {
  const callers = {} as Record<ScriptName, Caller>;
  for (const [name, lua] of Object.entries(SCRIPTS) as Array<[ScriptName, string]>) {
    // EVALSHA, with EVAL again when the server answers NOSCRIPT (flush, restart, failover).
    if (!(name in redis)) redis.defineCommand(name, { lua });
    const command = (redis as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>)[
      name
    ];
    if (command === undefined) throw new TypeError(`ioredis did not define the ${name} command`);
    callers[name] = (keys, args) => command.call(redis, keys.length, ...keys, ...args);
  }
  return callers;
}
