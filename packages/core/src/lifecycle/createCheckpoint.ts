import type { AuditEvent, AuditLog } from '../audit/AuditEvent.js';
import { MemoryAuditLog } from '../audit/MemoryAuditLog.js';
import { type Channel, type ChannelMedium, mediumOf } from '../channels/Channel.js';
import { messageOptions } from '../channels/messageOptions.js';
import type { MessageOptions } from '../channels/renderMessage.js';
import { type Clock, systemClock } from '../clock/Clock.js';
import { type RandomInt, secureRandomInt } from '../codes/generateCode.js';
import { Keyring, type SecretOption } from '../codes/keyring.js';
import {
  DEFAULT_TENANT_CONFIG,
  mergeConfig,
  mergeOverrides,
  type TenantConfig,
  type TenantOverrides,
} from '../config/TenantConfig.js';
import { assertConsistent, validateOverrides } from '../config/validateOverrides.js';
import { type LookupProvider, type LookupResult, lookupPhone } from '../destination/lookupPhone.js';
import { CheckpointError, isCheckpointError } from '../errors/CheckpointError.js';
import { InProcessScheduler } from '../scheduler/InProcessScheduler.js';
import type { Scheduler } from '../scheduler/Scheduler.js';
import { MemoryStore } from '../store/MemoryStore.js';
import type { Store, VerificationRecord } from '../store/Store.js';
import { type CheckInput, type CheckResult, check } from './check.js';
import { codeMedia } from './codeMedia.js';
import { runJob } from './fallback.js';
import {
  type DeliveryReceipt,
  type DeliveryReceiptResult,
  recordDelivery,
} from './recordDelivery.js';
import { type Logger, silentLogger } from './Logger.js';
import { parseTenantId, parseVerificationId } from './parseInput.js';
import { type OptOutRequest, type OptOutResult, optOut, optOuts } from './optOut.js';
import { type RateLimitInput, type RateLimitResult, rateLimit } from './rateLimit.js';
import { cancel, type ResendOptions, resend } from './resend.js';
import { type Runtime, recordEvent, storeCall, tenantConfig } from './runtime.js';
import { ApprovalTallies } from '../pumping/approvalTallies.js';
import { type Tickets, ticketsOf } from './tickets.js';
import { type SendInput, type SendResult, send } from './send.js';
import type { SendGuard } from './SendGuard.js';
import type { AsnResolver } from '../pumping/asnResolver.js';
import { defaultGuards, type PumpingGuardsOptions } from '../pumping/defaultGuards.js';
import { isStateful } from '../pumping/GuardHost.js';
import { withAsn } from '../pumping/withAsn.js';

/** Options of {@link createCheckpoint}. */
export interface CheckpointOptions {
  /** Server secret for keyed code hashes: at least 32 bytes, or `[{ id, key }, …]` (first is current) to rotate. */
  secret: SecretOption | undefined;
  /** Channels, tried in this order unless a tenant or a send says otherwise. Names must be unique. */
  channels: readonly Channel[];
  /** @default new MemoryStore() */
  store?: Store;
  /** @default new MemoryAuditLog() */
  auditLog?: AuditLog;
  /** @default new InProcessScheduler({ clock }) */
  scheduler?: Scheduler;
  /** @default systemClock */
  clock?: Clock;
  /** Uniform random integer source for codes. @default crypto.randomInt */
  random?: RandomInt;
  /** pino-compatible logger. @default silent */
  logger?: Logger;
  /** Settings for every tenant, under each tenant's own `configure()` overrides. */
  defaults?: TenantOverrides;
  /** Message text options (app name, WebOTP domain, SMS Retriever hash, custom renderer). */
  message?: MessageOptions;
  /**
   * The http(s) origin the app is served from, such as `'https://app.example.com'`. Phone
   * messages then end with the WebOTP line `@app.example.com #123456` (the host, without port),
   * unless `message.webOtp` is false or `message.webOtpDomain` names another host.
   * @default none (a per-send `origin`, as `otpRouter` passes, is used instead)
   * @see https://wicg.github.io/sms-one-time-codes/
   */
  origin?: string;
  /** Adds carrier facts to lookups and to the send guards' view. @default none */
  lookupProvider?: LookupProvider;
  /**
   * Checks on every send (pumping defences), asked in the send's order: free guards after the
   * country policy, paid ones after those, counting ones with the velocity caps. Guards that keep
   * counters (`trafficGuard`) are attached to this checkpoint's Store. `[]` turns them all off.
   * @default pumpingGuards(pumping) — line type, reputation when `pumping.reputation` is given,
   *   prefix and network bursts, conversion per block, network and country, strict new tenants
   */
  guards?: readonly SendGuard[];
  /**
   * Options of the default guards (ignored when `guards` is given): a number-reputation source,
   * `onThrottle`, the conversion window and grace. Per-tenant thresholds are `configure(tenantId,
   * { pumping })`.
   */
  pumping?: PumpingGuardsOptions;
  /**
   * Resolves `context.ip` to its AS number when a request carries no `context.asn`, so that the
   * per-ASN velocity caps apply. A resolver that fails or answers nothing leaves the ASN unknown.
   */
  asnResolver?: AsnResolver;
}

/** A verification as `get()` returns it: the stored record without its code hashes. */
export interface Verification extends Omit<VerificationRecord, 'codeHashes'> {
  /**
   * The media of every channel that was handed a code, in send order, each once: as
   * {@link CheckResult} `media` reports them. An approval counts as the weakest.
   */
  media: ChannelMedium[];
}

/** A configured channel as {@link Checkpoint.channels} lists it. */
export interface ChannelInfo {
  name: string;
  kind: 'phone' | 'email';
  medium: ChannelMedium;
}

/** The object {@link createCheckpoint} returns: the five primitives and their companions. */
export interface Checkpoint {
  /** Starts a verification and sends a code. */
  send: (input: SendInput) => Promise<SendResult>;
  /** Checks a code; a wrong code is the result `failed`, not an error. */
  check: (input: CheckInput) => Promise<CheckResult>;
  /** Sends another code for a pending verification (earlier codes stay valid). */
  resend: (id: string, options?: ResendOptions) => Promise<SendResult>;
  /** Cancels a pending verification. */
  cancel: (id: string) => Promise<{ id: string; status: Verification['status'] }>;
  /** Reads a verification (without code hashes). */
  get: (id: string) => Promise<Verification>;
  /** Facts about a phone number: libphonenumber-js metadata, plus a LookupProvider's when configured. */
  lookup: (phone: string) => Promise<LookupResult>;
  /** The audit events of one verification, oldest first. */
  audit: (id: string) => Promise<AuditEvent[]>;
  /** Validates and stores a tenant's overrides; effective on the next call. Returns the effective config. */
  configure: (
    tenantId: string,
    overrides: TenantOverrides,
    options?: { replace?: boolean },
  ) => Promise<TenantConfig>;
  /** The effective config of a tenant. */
  config: (tenantId?: string) => Promise<TenantConfig>;
  /** Applies a provider delivery receipt (drives fallback). */
  recordDelivery: (receipt: DeliveryReceipt) => Promise<DeliveryReceiptResult>;
  /**
   * Counts an event against a window limit in the Store (shared by every process): for limits
   * the app or the HTTP layer adds, such as failed checks per IP across verification ids.
   */
  rateLimit: (input: RateLimitInput) => Promise<RateLimitResult>;
  /**
   * Records a carrier keyword from a number (STOP → opted out, START → back in) for a tenant and
   * medium (default `sms`): its sends skip channels of that medium. Each change is audited.
   */
  optOut: (input: OptOutRequest) => Promise<OptOutResult>;
  /** The media a number opted out of for a tenant. */
  optOuts: (to: string, tenantId?: string) => Promise<string[]>;
  /** The audit log, for queries and exports by tenant and time range. */
  readonly auditLog: AuditLog;
  /**
   * Single-use values and markers in this Checkpoint's Store (shared by every process that shares
   * the Store): step-up grants and session revocations of @checkpoint/express live here.
   */
  readonly tickets: Tickets;
  /** The channels this Checkpoint sends over, in order, with the medium each one is. */
  readonly channels: readonly ChannelInfo[];
  /** The `origin` this Checkpoint was created with: when set, per-send origins are not used. */
  readonly origin: string | undefined;
  /** The logger this Checkpoint writes to, for the layers built on it. */
  readonly logger: Logger;
  /**
   * Stops timers and releases what the store opened itself (RedisStore's configuration cache
   * subscriber). Clients given to the store and the audit log belong to the caller and stay open.
   */
  close: () => Promise<void>;
}

/**
 * Creates a Checkpoint: OTP send / check / resend / cancel, lookup, audit and per-tenant
 * configuration over a Store (MemoryStore by default) and a list of channels.
 *
 * @example
 * const checkpoint = createCheckpoint({
 *   secret: process.env.CHECKPOINT_SECRET,
 *   channels: [consoleChannel({ name: 'sms' })],
 * });
 * const { id } = await checkpoint.send({ to: '+14155550100', purpose: 'signup', context: { ip } });
 * const { status } = await checkpoint.check({ id, code, context: { ip } }); // 'approved' | 'failed' | …
 */
export function createCheckpoint(options: CheckpointOptions): Checkpoint {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(
      'createCheckpoint requires an options object: { secret, channels, store? }',
    );
  }
  const keyring = new Keyring(options.secret);
  const channels = channelMap(options.channels);
  const clock = options.clock ?? systemClock;
  let defaults: TenantConfig;
  try {
    defaults = mergeConfig(
      DEFAULT_TENANT_CONFIG,
      options.defaults === undefined ? undefined : validateOverrides(options.defaults, 'defaults'),
    );
    assertConsistent(defaults, 'defaults');
  } catch (error) {
    throw new TypeError(
      `createCheckpoint: ${isCheckpointError(error) ? error.message : String(error)}`,
      { cause: error },
    );
  }
  const logger = options.logger ?? silentLogger;
  const message = messageOptions(options.message, options.origin);
  const base: Omit<Runtime, 'approvals'> = {
    store: options.store ?? new MemoryStore(),
    auditLog: options.auditLog ?? new MemoryAuditLog(),
    scheduler:
      options.scheduler ??
      new InProcessScheduler({
        clock,
        onError: (error, job) =>
          logger.error(
            {
              err: error instanceof Error ? error.message : String(error),
              job: job.kind,
              verificationId: job.verificationId,
            },
            'checkpoint job failed',
          ),
      }),
    clock,
    keyring,
    random: options.random ?? secureRandomInt,
    channels,
    defaults,
    logger,
    message,
    lookupProvider: options.lookupProvider,
    guards: options.guards ?? defaultGuards(options.pumping),
  };
  const runtime: Runtime = { ...base, approvals: new ApprovalTallies(base) };
  runtime.scheduler.setHandler((job) => runJob(runtime, job));
  for (const guard of runtime.guards) {
    if (isStateful(guard)) {
      guard.attach({
        hitCounters: (rules, now, reads) =>
          storeCall(runtime, 'hitCounters', () => runtime.store.hitCounters(rules, now, reads)),
        audit: (event) => recordEvent(runtime, event),
        hash: (kind, value) => keyring.subjectHash(kind, value),
        clock,
        logger,
      });
    }
  }
  const resolveAsn = withAsn(options.asnResolver, logger);

  return {
    send: async (input) => send(runtime, await resolveAsn(input)),
    check: (input) => check(runtime, input),
    resend: async (id, resendOptions) => resend(runtime, id, await resolveAsn(resendOptions)),
    cancel: (id) => cancel(runtime, id),
    async get(id) {
      const verificationId = parseVerificationId(id);
      const record = await storeCall(runtime, 'get', () => runtime.store.get(verificationId));
      if (record === null) throw new CheckpointError('not_found', 'no such verification');
      const { codeHashes: _hidden, ...visible } = record;
      return { ...visible, media: codeMedia(runtime.channels, record) };
    },
    async lookup(phone) {
      const base = lookupPhone(phone);
      if (runtime.lookupProvider === undefined || !base.valid) return base;
      return { ...base, ...(await runtime.lookupProvider.lookup(base.e164)) };
    },
    async audit(id) {
      const verificationId = parseVerificationId(id);
      return runtime.auditLog.byVerification(verificationId);
    },
    async configure(tenantId, overrides, configureOptions = {}) {
      const tenant = parseTenantId(tenantId);
      const validated = validateOverrides(overrides);
      const previous =
        configureOptions.replace === true
          ? null
          : await storeCall(runtime, 'getTenantConfig', () =>
              runtime.store.getTenantConfig(tenant),
            );
      const next = previous === null ? validated : mergeOverrides(previous, validated);
      const effective = mergeConfig(runtime.defaults, next);
      assertConsistent(effective, 'overrides');
      await storeCall(runtime, 'setTenantConfig', () =>
        runtime.store.setTenantConfig(tenant, next),
      );
      await recordEvent(runtime, {
        type: 'tenant.configured',
        tenantId: tenant,
        data: { keys: Object.keys(validated).join(',') },
      });
      return effective;
    },
    config: (tenantId) => tenantConfig(runtime, parseTenantId(tenantId)),
    recordDelivery: (receipt) => recordDelivery(runtime, receipt),
    rateLimit: (input) => rateLimit(runtime, input),
    optOut: (input) => optOut(runtime, input),
    optOuts: (to, tenantId) => optOuts(runtime, to, tenantId),
    auditLog: runtime.auditLog,
    tickets: ticketsOf(runtime),
    channels: [...channels.values()].map((channel) => ({
      name: channel.name,
      kind: channel.kind,
      medium: mediumOf(channel),
    })),
    origin: options.origin,
    logger,
    close: async () => {
      await runtime.approvals.settled();
      await runtime.scheduler.close();
      await runtime.store.close?.();
    },
  };
}

function channelMap(list: readonly Channel[] | undefined): Map<string, Channel> {
  if (!Array.isArray(list) || list.length === 0) {
    throw new TypeError(
      'createCheckpoint requires `channels`: a non-empty array, e.g. [consoleChannel({ name: "sms" })]',
    );
  }
  const map = new Map<string, Channel>();
  for (const channel of list as readonly Channel[]) {
    if (
      typeof channel !== 'object' ||
      channel === null ||
      typeof channel.name !== 'string' ||
      typeof channel.send !== 'function'
    ) {
      throw new TypeError(
        'each channel must be an object with a `name`, a `kind` and a `send(message)` function',
      );
    }
    if (channel.kind !== 'phone' && channel.kind !== 'email') {
      throw new TypeError(`channel '${channel.name}' must have kind 'phone' or 'email'`);
    }
    if (map.has(channel.name))
      throw new TypeError(`two channels are named '${channel.name}'; names must be unique`);
    map.set(channel.name, channel);
  }
  return map;
}
