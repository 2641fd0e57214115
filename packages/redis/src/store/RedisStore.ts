import {
  type AddSendInput,
  type AddSendResult,
  type CounterReadResult,
  type CounterReads,
  type CounterRule,
  CheckpointError,
  type DeliveryInput,
  type DeliveryUpdate,
  type DispatchInput,
  type OptOutInput,
  type Store,
  type StoreCheckInput,
  type StoreCheckResult,
  type TallyOp,
  type TenantOverrides,
  type TicketInput,
  type TransitionInput,
  type VerificationRecord,
  verificationShard,
} from '@checkpoint/core';
import { once } from 'node:events';
import type { Cluster, Redis } from 'ioredis';
import { DELIVERY_CODES, decodeRecord, encodeRecord } from './codec.js';
import { KeySpace } from './keys.js';
import { TenantConfigCache } from './TenantConfigCache.js';
import * as lua from './lua.js';

/** Options of {@link RedisStore}. */
export interface RedisStoreOptions {
  /** An ioredis `Redis` or `Cluster`. Recommended: `enableOfflineQueue: false`, `maxRetriesPerRequest: 1`, `commandTimeout`. */
  redis: Redis | Cluster;
  /** Prepended to every key; no braces. @default 'cp:' */
  prefix?: string;
  /** Seconds a verification's keys outlive its expiry, for late receipts and `get()`. @default 3600 */
  retainSeconds?: number;
  /** Every store call fails (and core answers `store_unavailable`) after this many ms. @default 2000 */
  timeoutMs?: number;
  /**
   * Keep tenant configuration in this process, saving a round trip per send. A change made with
   * `configure()` in any process reaches every other one through Redis pub/sub (one extra
   * connection, `redis.duplicate()`); while that connection is down, reads go to Redis. Call
   * `close()` (or `checkpoint.close()`) to release the connection. @default false
   */
  cacheTenantConfig?: boolean;
}

type ScriptName = keyof typeof SCRIPTS;
type Reply = Array<number | Buffer>;
type Caller = (
  keys: readonly string[],
  args: ReadonlyArray<string | Buffer | number>,
) => Promise<Reply>;

const SCRIPTS = {
  cpHitCounters: lua.HIT_COUNTERS,
  cpRefundCounters: lua.REFUND_COUNTERS,
  cpTallies: lua.TALLIES,
  cpCreate: lua.CREATE,
  cpCheck: lua.CHECK,
  cpAddSend: lua.ADD_SEND,
  cpRecordDispatch: lua.RECORD_DISPATCH,
  cpRecordDelivery: lua.RECORD_DELIVERY,
  cpTransition: lua.TRANSITION,
} as const;

const CHECK_OUTCOMES = [
  'not_found',
  'approved',
  'failed',
  'expired',
  'max_attempts',
  'canceled',
] as const;
const ADD_SEND_REASONS = [
  '',
  'ok',
  'not_found',
  'not_pending',
  'max_sends',
  'channel_changed',
  'cooldown',
] as const;
const SAFE_POLICIES = new Set(['noeviction']);

/**
 * The production Store: verifications, counters and tenant configuration in Redis or Redis
 * Cluster, every lifecycle step one Lua script (EVALSHA, falling back to EVAL after a
 * `SCRIPT FLUSH`). A check is one round trip.
 *
 * Create it with {@link createRedisStore}, which refuses an evicting `maxmemory-policy`.
 *
 * @example
 * const redis = new Redis(process.env.REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 1000 });
 * const store = await createRedisStore({ redis, prefix: 'cp:' });
 * const checkpoint = createCheckpoint({ secret, channels, store });
 */
export class RedisStore implements Store {
  readonly redis: Redis | Cluster;
  private readonly keys: KeySpace;
  private readonly retainMs: number;
  private readonly timeoutMs: number;
  private readonly scripts: Record<ScriptName, Caller>;
  private readonly clientBoundsCommands: boolean;
  private readonly configCache: TenantConfigCache | undefined;

  constructor({
    redis,
    prefix = 'cp:',
    retainSeconds = 3_600,
    timeoutMs = 2_000,
    cacheTenantConfig = false,
  }: RedisStoreOptions) {
    if (
      typeof redis !== 'object' ||
      redis === null ||
      typeof (redis as Redis).defineCommand !== 'function'
    ) {
      throw new TypeError('RedisStore requires `redis`: an ioredis Redis or Cluster instance');
    }
    if (!Number.isInteger(retainSeconds) || retainSeconds < 0)
      throw new TypeError('`retainSeconds` must be a whole number of seconds');
    if (!Number.isInteger(timeoutMs) || timeoutMs < 1)
      throw new TypeError('`timeoutMs` must be a positive number of milliseconds');
    this.redis = redis;
    this.keys = new KeySpace(prefix);
    this.retainMs = retainSeconds * 1_000;
    this.timeoutMs = timeoutMs;
    this.scripts = defineScripts(redis);
    const commandTimeout = redis.isCluster
      ? (redis as Cluster).options.redisOptions?.commandTimeout
      : (redis as Redis).options.commandTimeout;
    this.clientBoundsCommands =
      commandTimeout !== undefined && commandTimeout > 0 && commandTimeout <= timeoutMs;
    this.configCache = cacheTenantConfig
      ? new TenantConfigCache(redis, this.keys.configChannel())
      : undefined;
  }

  /** Releases what the store opened itself (the configuration cache's subscriber); not `redis`. */
  async close(): Promise<void> {
    this.configCache?.close();
  }

  /**
   * Resolves once the client is connected (with the offline queue off, commands sent before that
   * fail). Rejects with `store_unavailable` when it does not connect within the store's timeout.
   */
  async ready(): Promise<void> {
    if (this.redis.status === 'ready') return;
    await this.guard(once(this.redis, 'ready'), true);
  }

  /**
   * Refuses to run on a Redis that may evict keys: eviction would silently reset attempt
   * counters and failure budgets. Checks every master of a Cluster.
   */
  async assertNoEviction(): Promise<void> {
    const nodes = this.redis.isCluster
      ? (this.redis as Cluster).nodes('master')
      : [this.redis as Redis];
    for (const node of nodes) {
      const info = await this.guard(node.info('memory'));
      const policy = /maxmemory_policy:(\S+)/.exec(info)?.[1] ?? 'unknown';
      if (!SAFE_POLICIES.has(policy)) {
        throw new CheckpointError(
          'store_unavailable',
          `Redis maxmemory-policy is ${policy}: eviction would reset attempt counters; set maxmemory-policy noeviction`,
        );
      }
    }
  }

  async hitCounters(
    rules: readonly CounterRule[],
    now: number,
    reads?: CounterReads,
  ): Promise<CounterReadResult> {
    const cluster = this.redis.isCluster;
    // One Redis: every counter and tally in one script, atomically, with the opt-outs and the new
    // record. A Cluster keeps the opt-out set, the record and each tally in slots of their own (the
    // caller reads and creates them separately; tallies follow the counters' answer in a second
    // round of scripts), and runs one script per slot group in parallel; when one group refuses,
    // the others give back what they took.
    const optOutKey =
      cluster || reads?.optOuts === undefined
        ? undefined
        : this.keys.optOut(reads.optOuts.tenantId, reads.optOuts.destinationHash);
    const create = cluster ? undefined : reads?.create;
    const tallies = reads?.tallies ?? [];
    const inline = cluster ? [] : tallies;
    const placed = rules.map((rule) => ({ rule, ...this.keys.counter(rule.key) }));
    if (placed.length === 0 && tallies.length === 0 && optOutKey === undefined && !create) {
      return { allowed: true };
    }
    const groups = cluster ? groupBy(placed, (entry) => entry.tag) : [placed];
    const hit = (group: typeof placed, first: boolean) => {
      const reading = first ? optOutKey : undefined;
      const creating = first ? create : undefined;
      const tallied = first ? inline : [];
      return this.run(
        'cpHitCounters',
        [
          ...group.map((entry) => entry.key),
          ...tallied.map((op) => this.keys.tally(op.key)),
          ...(reading === undefined ? [] : [reading]),
          ...(creating === undefined ? [] : [this.keys.record(creating.id)]),
        ],
        [
          now,
          group.length,
          reading === undefined ? '0' : '1',
          creating === undefined ? '' : Buffer.from(encodeRecord(creating)),
          creating === undefined ? 0 : this.recordTtl(creating),
          group.map(({ field, rule }) => counterArgs(field, rule).join(',')).join(';'),
          ...tallyArgs(tallied),
        ],
      );
    };
    const replies =
      groups.length === 0 ? [] : await Promise.all(groups.map((group, i) => hit(group, i === 0)));
    let refusal: { key: string; retryAfter: number } | undefined;
    replies.forEach((reply, index) => {
      if (reply[0] === 1) return;
      const entry = groups[index]?.[Number(reply[1]) - 1];
      const retryAfter = Math.ceil(Number(reply[2]) / 1_000);
      if (entry !== undefined && (refusal === undefined || retryAfter > refusal.retryAfter))
        refusal = { key: entry.rule.key, retryAfter };
    });
    if (refusal !== undefined) {
      const granted = groups.filter((_, index) => replies[index]?.[0] === 1);
      await Promise.all([
        this.refund(
          granted.flatMap((group) => group.map((entry) => entry.rule)),
          now,
        ),
        cluster ? this.clusterTallies(tallies, false, now) : undefined,
      ]);
      return { allowed: false, ...refusal };
    }
    const reply = replies[0] ?? [1, 0, 0];
    const inlineCount = Number(reply[2] ?? 0);
    const sums = cluster
      ? await this.clusterTallies(tallies, true, now)
      : reply.slice(3, 3 + inlineCount).map(Number);
    return {
      allowed: true,
      ...(optOutKey === undefined
        ? {}
        : {
            optOuts: reply
              .slice(3 + inlineCount)
              .map(String)
              .sort(),
          }),
      ...(create === undefined ? {} : { created: reply[1] === 1 }),
      ...(reads?.tallies === undefined ? {} : { tallies: sums }),
    };
  }

  /** Tallies on a Cluster: one script per tally slot, in parallel, after the counters answered. */
  private async clusterTallies(
    tallies: readonly TallyOp[],
    allowed: boolean,
    now: number,
  ): Promise<number[]> {
    if (tallies.length === 0) return [];
    const placed = tallies.map((op, index) => ({ op, index, key: this.keys.tally(op.key) }));
    const sums: number[] = tallies.map(() => 0);
    await Promise.all(
      groupBy(placed, (entry) => entry.key).map(async (group) => {
        const reply = await this.run(
          'cpTallies',
          group.map((entry) => entry.key),
          [now, allowed ? '1' : '0', ...tallyArgs(group.map((entry) => entry.op))],
        );
        group.forEach((entry, position) => {
          sums[entry.index] = Number(reply[position] ?? 0);
        });
      }),
    );
    return sums;
  }

  async create(record: VerificationRecord): Promise<void> {
    const reply = await this.run(
      'cpCreate',
      [this.keys.record(record.id)],
      [Buffer.from(encodeRecord(record)), this.recordTtl(record)],
    );
    if (reply[0] !== 1) throw new Error(`verification ${record.id} already exists`);
  }

  /** How long a record is kept: until it expires, and `retainSeconds` more (audit, receipts). */
  private recordTtl(record: VerificationRecord): number {
    // Relative to the record's own clock, so TTLs hold under a test's manual clock too.
    return record.expiresAt - record.createdAt + this.retainMs;
  }

  async get(id: string): Promise<VerificationRecord | null> {
    const raw = await this.guard(this.redis.getBuffer(this.keys.record(id)));
    return raw === null ? null : decodeRecord(id, raw);
  }

  async check(input: StoreCheckInput): Promise<StoreCheckResult> {
    const { counters = [], now } = input;
    // One Redis: the counters ride in the check's own script — tested first, charged unless it
    // approves — so a check with limits is still one round trip, and an approval writes nothing
    // to them. A Cluster keeps them in other slots than the verification: it reserves a unit
    // first (all-or-nothing, as hitCounters), checks, and refunds the unit after an approval.
    // Concurrent checks still get at most `limit` codes compared; the price is a second round
    // trip (a third on approval), and approvals racing near the limit may be refused.
    if (counters.length > 0 && this.redis.isCluster) {
      const units = counters.map((rule): CounterRule => ({ ...rule, cost: 1 }));
      const reserved = await this.hitCounters(units, now);
      if (!reserved.allowed) {
        return { outcome: 'rate_limited', key: reserved.key, retryAfter: reserved.retryAfter };
      }
      const result = await this.checkScript(input, []);
      if (result.outcome === 'approved') await this.refund(units, now);
      return result;
    }
    return this.checkScript(input, counters);
  }

  private async checkScript(
    { id, candidates, binding, now }: StoreCheckInput,
    counters: readonly CounterRule[],
  ): Promise<StoreCheckResult> {
    const reply = await this.run(
      'cpCheck',
      [
        this.keys.record(id),
        this.keys.failures(verificationShard(id)),
        ...counters.map((rule) => this.keys.counter(rule.key).key),
      ],
      [
        now,
        binding.tenantId ?? '',
        binding.purpose ?? '',
        binding.subject ?? '',
        counters.length,
        ...counters.flatMap((rule) => [rule.limit, rule.windowSeconds * 1_000]),
        ...candidates,
      ],
    );
    const code = Number(reply[0]);
    if (code === 6) {
      return {
        outcome: 'rate_limited',
        key: counters[Number(reply[1]) - 1]?.key ?? '',
        retryAfter: Math.ceil(Number(reply[2]) / 1_000),
      };
    }
    const outcome = CHECK_OUTCOMES[code] ?? 'not_found';
    if (outcome === 'not_found') return { outcome };
    return {
      outcome,
      transitioned: reply[1] === 1,
      evaluated: reply[2] === 1,
      record: decodeRecord(id, reply[3] as Buffer),
    };
  }

  /**
   * Gives back what `rules` took (their cost), one script per slot: a Cluster's reservation after
   * an approval, or the groups that allowed when another refused.
   */
  private async refund(rules: readonly CounterRule[], now: number): Promise<void> {
    const placed = rules.map((rule) => ({ rule, ...this.keys.counter(rule.key) }));
    await Promise.all(
      groupBy(placed, (entry) => entry.tag).map((group) =>
        this.run(
          'cpRefundCounters',
          group.map((entry) => entry.key),
          [now, ...group.flatMap(({ field, rule }) => counterArgs(field, rule))],
        ),
      ),
    );
  }

  async addSend({
    id,
    codeHash,
    channel,
    now,
    enforceCooldown,
    expectedChannel,
  }: AddSendInput): Promise<AddSendResult> {
    const reply = await this.run(
      'cpAddSend',
      [this.keys.record(id)],
      [now, codeHash, channel, enforceCooldown ? '1' : '0', expectedChannel ?? ''],
    );
    const code = Number(reply[0]);
    if (code === 7)
      throw new CheckpointError(
        'invalid_request',
        `channel '${channel}' is not one of this verification's channels`,
      );
    const record = reply[2] instanceof Buffer ? decodeRecord(id, reply[2]) : undefined;
    if (code === 1 && record !== undefined) return { ok: true, record };
    if (code === 6 && record !== undefined)
      return {
        ok: false,
        reason: 'cooldown',
        retryAfter: Math.ceil(Number(reply[1]) / 1_000),
        record,
      };
    const reason = ADD_SEND_REASONS[code];
    if (reason === 'not_pending' || reason === 'max_sends' || reason === 'channel_changed') {
      return record === undefined ? { ok: false, reason } : { ok: false, reason, record };
    }
    return { ok: false, reason: 'not_found' };
  }

  async recordDispatch({
    id,
    expiresAt,
    channel,
    providerMessageId,
    status,
    errorCode,
    now,
  }: DispatchInput): Promise<boolean> {
    // The index is written first, so a receipt racing the dispatch record still finds its
    // verification. On a single Redis both go in one script; on a Cluster they are two slots.
    const indexKey =
      providerMessageId === undefined ? undefined : this.keys.message(channel, providerMessageId);
    const indexTtl = Math.max(1, expiresAt + this.retainMs - now);
    if (indexKey !== undefined && this.redis.isCluster) {
      await this.guard(this.redis.set(indexKey, id, 'PX', indexTtl));
    }
    const keys =
      indexKey !== undefined && !this.redis.isCluster
        ? [this.keys.record(id), indexKey]
        : [this.keys.record(id)];
    const reply = await this.run('cpRecordDispatch', keys, [
      now,
      channel,
      providerMessageId ?? '',
      DELIVERY_CODES.indexOf(status),
      errorCode ?? '',
      indexTtl,
      id,
    ]);
    if (reply[0] === 7)
      throw new CheckpointError(
        'invalid_request',
        `channel '${channel}' is not one of this verification's channels`,
      );
    return reply[0] === 1;
  }

  async recordDelivery({
    channel,
    providerMessageId,
    status,
    errorCode,
    now,
  }: DeliveryInput): Promise<DeliveryUpdate | null> {
    const id = await this.guard(this.redis.get(this.keys.message(channel, providerMessageId)));
    if (id === null) return null;
    const reply = await this.run(
      'cpRecordDelivery',
      [this.keys.record(id)],
      [now, channel, providerMessageId, DELIVERY_CODES.indexOf(status), errorCode ?? ''],
    );
    if (reply[0] !== 1) return null;
    const record = decodeRecord(id, reply[5] as Buffer);
    const delivery = record.deliveries[Number(reply[4]) - 1];
    if (delivery === undefined) return null;
    return {
      record,
      delivery,
      previous: DELIVERY_CODES[Number(reply[2])] ?? 'queued',
      applied: reply[1] === 1,
      isCurrent: reply[3] === 1,
    };
  }

  async transition({
    id,
    to,
    now,
  }: TransitionInput): Promise<{ record: VerificationRecord; changed: boolean } | null> {
    const reply = await this.run('cpTransition', [this.keys.record(id)], [now, to]);
    if (reply[0] !== 1) return null;
    return { changed: reply[1] === 1, record: decodeRecord(id, reply[2] as Buffer) };
  }

  async getTenantConfig(tenantId: string): Promise<TenantOverrides | null> {
    const load = () => this.guard(this.redis.get(this.keys.tenant(tenantId)));
    const raw =
      this.configCache === undefined ? await load() : await this.configCache.read(tenantId, load);
    return raw === null ? null : (JSON.parse(raw) as TenantOverrides);
  }

  async setTenantConfig(tenantId: string, overrides: TenantOverrides): Promise<void> {
    // Configuration is not per-verification state: it has no TTL.
    await this.guard(this.redis.set(this.keys.tenant(tenantId), JSON.stringify(overrides)));
    if (this.configCache !== undefined) {
      this.configCache.forget(tenantId);
      await this.guard(this.redis.publish(this.keys.configChannel(), tenantId));
    }
  }

  async setOptOut({ tenantId, destinationHash, medium, optedOut }: OptOutInput): Promise<boolean> {
    const key = this.keys.optOut(tenantId, destinationHash);
    const changed = optedOut
      ? await this.guard(this.redis.sadd(key, medium))
      : await this.guard(this.redis.srem(key, medium));
    return changed === 1;
  }

  async optOuts(tenantId: string, destinationHash: string): Promise<string[]> {
    return this.optOutsAt(this.keys.optOut(tenantId, destinationHash));
  }

  private async optOutsAt(key: string): Promise<string[]> {
    const media = await this.guard(this.redis.smembers(key));
    return media.sort();
  }

  async putTicket({ key, value, ttlSeconds, now, replace = false }: TicketInput): Promise<boolean> {
    ticketArguments(key, ttlSeconds);
    // The expiry travels with the value so that takeTicket judges it on the caller's clock, like
    // every other window here; Redis's own TTL only collects it.
    const stored = `${now + ttlSeconds * 1_000}|${value}`;
    const ticket = this.keys.ticket(key);
    const reply = await this.guard(
      replace
        ? this.redis.set(ticket, stored, 'PX', ttlSeconds * 1_000)
        : this.redis.set(ticket, stored, 'PX', ttlSeconds * 1_000, 'NX'),
    );
    return reply === 'OK';
  }

  async takeTicket(key: string, now: number): Promise<string | null> {
    ticketArguments(key, 1);
    return ticketValue(await this.guard(this.redis.getdel(this.keys.ticket(key))), now);
  }

  async readTicket(key: string, now: number): Promise<string | null> {
    ticketArguments(key, 1);
    return ticketValue(await this.guard(this.redis.get(this.keys.ticket(key))), now);
  }

  private run(
    name: ScriptName,
    keys: readonly string[],
    args: ReadonlyArray<string | Buffer | number>,
  ): Promise<Reply> {
    return this.guard(this.scripts[name](keys, args));
  }

  /**
   * Bounds every call: a Redis that stops answering fails the call, never hangs it. When the
   * client's own `commandTimeout` already bounds commands within `timeoutMs`, that is enough and
   * no timer is armed per call (it is the hot path).
   */
  private guard<T>(pending: Promise<T>, always = false): Promise<T> {
    if (this.clientBoundsCommands && !always) return pending;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new CheckpointError(
              'store_unavailable',
              `Redis did not answer within ${this.timeoutMs} ms`,
            ),
          ),
        this.timeoutMs,
      );
    });
    return Promise.race([pending, timeout]).finally(() => clearTimeout(timer));
  }
}

/**
 * Creates a RedisStore after checking the server: refuses an evicting `maxmemory-policy`.
 * @example const store = await createRedisStore({ redis: new Redis(url, redisOptions()), prefix: 'cp:' });
 */
export async function createRedisStore(options: RedisStoreOptions): Promise<RedisStore> {
  const store = new RedisStore(options);
  await store.ready();
  await store.assertNoEviction();
  return store;
}

function defineScripts(redis: Redis | Cluster): Record<ScriptName, Caller> {
  const callers = {} as Record<ScriptName, Caller>;
  for (const [name, source] of Object.entries(SCRIPTS) as Array<[ScriptName, string]>) {
    // defineCommand loads each script once and calls it by EVALSHA, re-sending it with EVAL when
    // the server answers NOSCRIPT (after SCRIPT FLUSH, a restart or a failover).
    if (!(`${name}Buffer` in redis)) redis.defineCommand(name, { lua: source });
    const command = (redis as unknown as Record<string, (...args: unknown[]) => Promise<Reply>>)[
      `${name}Buffer`
    ];
    if (command === undefined) throw new TypeError(`ioredis did not define the ${name} command`);
    callers[name] = (keys, args) => command.call(redis, keys.length, ...keys, ...args);
  }
  return callers;
}

/** A counter's arguments to the counter scripts: field, limit, windowMs, cost, lockMs (-1: plain). */
function counterArgs(field: string, rule: CounterRule): Array<string | number> {
  return [
    field,
    rule.limit,
    rule.windowSeconds * 1_000,
    rule.cost,
    rule.lockSeconds === undefined ? -1 : rule.lockSeconds * 1_000,
  ];
}

/** The tallies as a script takes them (see lua.ts TALLY): their shapes and their ops, one string each. */
function tallyArgs(ops: readonly TallyOp[]): [shapes: string, ops: string] {
  const shapes: string[] = [];
  const coded: string[] = [];
  for (const op of ops) {
    const shape = `${op.families.join(' ')}/${op.bucketSeconds * 1_000}/${op.windowSeconds * 1_000}/${op.graceSeconds * 1_000}`;
    let index = shapes.indexOf(shape);
    if (index < 0) index = shapes.push(shape) - 1;
    const code = index * 4 + (op.add?.always === true ? 2 : 0) + (op.judged === true ? 1 : 0);
    coded.push(
      `${op.family},${op.add === undefined ? '' : op.add.at},${op.add?.count ?? 1},${code}`,
    );
  }
  return [shapes.join(';'), coded.join(';')];
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const name = key(item);
    const group = groups.get(name);
    if (group === undefined) groups.set(name, [item]);
    else group.push(item);
  }
  return [...groups.values()];
}

/** A stored ticket's value while it is within its time on the caller's clock, else null. */
function ticketValue(raw: string | null, now: number): string | null {
  if (raw === null) return null;
  const bar = raw.indexOf('|');
  return now < Number(raw.slice(0, bar)) ? raw.slice(bar + 1) : null;
}

function ticketArguments(key: string, ttlSeconds: number): void {
  if (typeof key !== 'string' || key === '' || key.length > 256) {
    throw new TypeError('RedisStore ticket keys are strings of 1 to 256 characters');
  }
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1) {
    throw new TypeError('RedisStore putTicket needs ttlSeconds, a whole number of at least 1');
  }
}
