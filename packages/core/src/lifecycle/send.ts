import type { RequestContext } from '../audit/AuditEvent.js';
import { type Channel, mediumOf } from '../channels/Channel.js';
import { generateCode } from '../codes/generateCode.js';
import { newVerificationId } from '../codes/verificationId.js';
import type { TenantConfig } from '../config/TenantConfig.js';
import { countryRefusal } from '../destination/countries.js';
import type { LookupResult } from '../destination/lookupPhone.js';
import {
  type Destination,
  type DestinationInput,
  lineTypeOf,
  normalizeDestination,
  primaryDestination,
} from '../destination/normalizeDestination.js';
import { CheckpointError, invalidRequest } from '../errors/CheckpointError.js';
import type { CounterReads, VerificationRecord } from '../store/Store.js';
import { counterReason, counterRules } from '../velocity/counterRules.js';
import { channelDemand } from '../pumping/channelDemand.js';
import {
  addressFor,
  dispatch,
  expireJobKey,
  scheduleFallback,
  recordVerificationEvent,
} from './dispatch.js';
import {
  asObject,
  parseChannelNames,
  parseContext,
  parseApproving,
  parseLocale,
  parsePurpose,
  parseSubject,
  parseTenantId,
} from './parseInput.js';
import { type Runtime, recordEvent, storeCall, tenantConfig, timers } from './runtime.js';

/** Input of `checkpoint.send()`. */
export interface SendInput {
  /** E.164 phone number, email address, or both (`{ phone, email }`) for cross-channel fallback. */
  to: DestinationInput;
  /** The checkpoint this code is for (`signup`, `login`, `billing_change`, …); a code never crosses purposes. */
  purpose: string;
  /** @default 'default' */
  tenantId?: string;
  /** User id or session binding; when set, `check` with another subject never approves. */
  subject?: string;
  /** Channel names in fallback order, overriding the tenant's order. */
  channels?: string[];
  locale?: string;
  context?: RequestContext;
  /**
   * What this code approves, shown in the message: "123456 approves changing the billing card
   * to …4242". For step-ups bound to an action (PSD2-style dynamic linking). At most 120 characters.
   */
  approving?: string;
}

/** Result of `send()` and `resend()`. */
export interface SendResult {
  id: string;
  status: 'pending';
  /** The channel that took the code. */
  channel: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  auditEventId: string;
}

/**
 * @internal
 * The send mechanism, in order: validate + normalise; velocity caps; country policy; send guards;
 * lookup; channel selection; code + keyed hash; store; dispatch with fallback on refusal; timers; audit.
 */
export async function send(runtime: Runtime, raw: unknown): Promise<SendResult> {
  const input = asObject(raw, 'send input');
  const purpose = parsePurpose(input.purpose);
  const tenantId = parseTenantId(input.tenantId);
  const subject = parseSubject(input.subject);
  const requestedChannels = parseChannelNames(input.channels);
  const locale = parseLocale(input.locale);
  const context = parseContext(input.context);
  const approving = parseApproving(input.approving);
  if (input.to === undefined)
    throw invalidRequest('`to` is required: a phone number or an email address');
  const config = await tenantConfig(runtime, tenantId);

  const refuse = async (
    error: CheckpointError,
    fields: Record<string, unknown> = {},
  ): Promise<never> => {
    const auditEventId = await recordEvent(runtime, {
      type: 'verification.blocked',
      tenantId,
      purpose,
      context,
      result: error.code,
      reasons: error.reasons.length > 0 ? [...error.reasons] : [error.code],
      ...fields,
    });
    throw new CheckpointError(error.code, error.message, {
      reasons: error.reasons,
      auditEventId,
      ...(error.retryAfter === undefined ? {} : { retryAfter: error.retryAfter }),
    });
  };

  let destination: Destination;
  try {
    destination = normalizeDestination(input.to, config.defaultCountry);
  } catch (error) {
    if (error instanceof CheckpointError && error.code === 'invalid_number') return refuse(error);
    throw error;
  }
  const primary = primaryDestination(destination);
  const destinationHash = runtime.keyring.destinationHash(primary.value);
  const auditDestination = {
    destination: {
      kind: primary.kind,
      hash: destinationHash,
      masked: primary.masked,
      ...(destination.phone?.country === undefined ? {} : { country: destination.phone.country }),
    },
  };

  const now = runtime.clock.now();
  const hashes = [destinationHash];
  if (destination.phone !== undefined && destination.email !== undefined) {
    hashes.push(runtime.keyring.destinationHash(destination.email));
  }
  const rules = counterRules(config, {
    tenantId,
    destinationHashes: hashes,
    primaryHash: destinationHash,
    subject,
    // Hashed only when a window counts it: a keyed hash is a few microseconds.
    ...(context.ip === undefined || config.velocity.ip.length === 0
      ? {}
      : { ipHash: runtime.keyring.subjectHash('ip', context.ip) }),
    ...(context.asn === undefined ? {} : { asn: context.asn }),
  });
  const candidates = selectChannels(runtime, config, requestedChannels, destination);
  // A number that texted STOP gets no SMS: read its opt-outs alongside the counters (no extra wait).
  const readsOptOuts =
    destination.phone !== undefined &&
    candidates.some((name) => smsChannel(runtime.channels.get(name)));
  // The primary destination is the phone whenever there is one: its hash is at hand.
  const optOutsOf = readsOptOuts
    ? {
        tenantId,
        destinationHash:
          primary.kind === 'phone'
            ? destinationHash
            : runtime.keyring.destinationHash(destination.phone?.e164 ?? ''),
      }
    : undefined;
  const screen = async (lookup: LookupResult | undefined): Promise<Screened> => {
    if (destination.phone !== undefined) {
      const refusal = countryRefusal(destination.phone.country, config.countries);
      if (refusal !== undefined) {
        return {
          lookup,
          refusal: new CheckpointError('country_blocked', 'codes cannot be sent to this country', {
            reasons: [refusal],
          }),
        };
      }
    }
    for (const guard of runtime.guards) {
      const refusal = await guard.evaluate({
        tenantId,
        purpose,
        destination,
        destinationHash,
        context,
        config,
        lookup,
        now,
      });
      if (refusal !== undefined) {
        return {
          lookup,
          refusal: new CheckpointError(refusal.code, `send refused by ${guard.name}`, {
            reasons: [refusal.reason],
            ...(refusal.retryAfter === undefined ? {} : { retryAfter: refusal.retryAfter }),
          }),
        };
      }
    }
    return { lookup };
  };
  const draft = (plan: PlannedChannels): Drafted => {
    const id = newVerificationId(destinationHash);
    const code = generateCode(config.codeLength, runtime.random);
    const record: VerificationRecord = {
      id,
      tenantId,
      purpose,
      ...(subject === undefined ? {} : { subject }),
      ...(approving === undefined ? {} : { approving }),
      to: destination,
      destinationHash,
      channels: plan.channels,
      channel: plan.channels[0] as string,
      status: 'pending',
      attempts: 0,
      maxAttempts: config.maxAttempts,
      sends: 1,
      maxSends: config.maxSends,
      resendCooldownSeconds: config.resendCooldownSeconds,
      codeLength: config.codeLength,
      locale: locale ?? config.locale,
      codeHashes: [runtime.keyring.hashCode(id, code)],
      failureLimit: config.destinationFailures.limit,
      failureWindowSeconds: config.destinationFailures.windowSeconds,
      failureLockSeconds: config.destinationFailures.lockSeconds,
      createdAt: now,
      expiresAt: now + config.ttlSeconds * 1_000,
      lastSentAt: now,
      deliveries: [],
    };
    return { record, code, plan };
  };

  // The country policy and the send guards come after the counters. When asking them first
  // changes nothing — no lookup provider to pay, every guard pure — they are asked first, and the
  // verification they would allow is handed to the store with the counters: a store that can
  // creates it in the same atomic step when the counters allow and the number has no opt-outs
  // (one round trip where there were two). Refusals keep their order: the counters' first.
  const early =
    runtime.lookupProvider === undefined && runtime.guards.every((guard) => guard.pure === true)
      ? await screen(undefined)
      : undefined;
  const earlyPlan =
    early === undefined || early.refusal !== undefined
      ? undefined
      : planChannels(runtime, config, destination, candidates, [], undefined);
  const prepared = earlyPlan?.channels === undefined ? undefined : draft(earlyPlan);
  const reads: CounterReads = {
    ...(optOutsOf === undefined ? {} : { optOuts: optOutsOf }),
    ...(prepared === undefined ? {} : { create: prepared.record }),
  };
  const velocity = await storeCall(runtime, 'hitCounters', () =>
    runtime.store.hitCounters(rules, now, reads),
  );
  if (!velocity.allowed) {
    const reason = counterReason(velocity.key);
    return refuse(
      new CheckpointError(
        'rate_limited',
        `too many codes requested (${reason}); retry in ${velocity.retryAfter} s`,
        {
          retryAfter: velocity.retryAfter,
          reasons: [reason],
        },
      ),
      auditDestination,
    );
  }

  let drafted: Drafted;
  let lookup: LookupResult | undefined;
  if (prepared !== undefined && velocity.created === true) {
    drafted = prepared;
  } else {
    const screened = early ?? (await screen(await lookupFor(runtime, destination)));
    if (screened.refusal !== undefined) return refuse(screened.refusal, auditDestination);
    lookup = screened.lookup;
    // A store that could not read the opt-outs alongside the counters is asked separately.
    const optedOut =
      optOutsOf === undefined
        ? []
        : (velocity.optOuts ??
          (await storeCall(runtime, 'optOuts', () =>
            runtime.store.optOuts(optOutsOf.tenantId, optOutsOf.destinationHash),
          )));
    const plan = planChannels(runtime, config, destination, candidates, optedOut, lookup);
    if (plan.refusal !== undefined) return refuse(plan.refusal, auditDestination);
    drafted = draft(plan);
    await storeCall(runtime, 'create', () => runtime.store.create(drafted.record));
  }
  const { record, code, plan } = drafted;
  const { id } = record;
  const auditEventId = await recordVerificationEvent(runtime, record, {
    type: 'verification.requested',
    context,
    ...(plan.demandReasons === undefined ? {} : { reasons: plan.demandReasons }),
    data: {
      channels: record.channels.join(','),
      subjectBound: subject !== undefined,
      ...(lookup === undefined ? {} : { lineType: lookup.lineType }),
      ...(lookup?.simSwapAgeSeconds === undefined
        ? {}
        : { simSwapAgeSeconds: lookup.simSwapAgeSeconds }),
    },
  });

  const outcome = await dispatch(runtime, record, code, 0);
  if (outcome === undefined) {
    // No channel took the code: end the verification now rather than leave a live code nobody received.
    await storeCall(runtime, 'transition', () =>
      runtime.store.transition({ id, to: 'canceled', now: runtime.clock.now() }),
    );
    await recordVerificationEvent(runtime, record, {
      type: 'verification.canceled',
      result: 'undeliverable',
    });
    throw new CheckpointError(
      'channel_unavailable',
      'every channel refused the message; try again later',
      { auditEventId },
    );
  }
  await timers(runtime, 'schedule', (scheduler) =>
    scheduler.schedule({
      key: expireJobKey(id),
      kind: 'expire',
      verificationId: id,
      runAt: record.expiresAt,
    }),
  );
  await scheduleFallback(runtime, record, outcome, config.fallbackTimeoutSeconds);
  return {
    id,
    status: 'pending',
    channel: outcome.channel,
    expiresAt: record.expiresAt,
    auditEventId,
  };
}

/**
 * @internal
 * The channels of a verification: the requested names (each must be configured), else the
 * tenant's order, else every configured channel; kept only where the destination has an address.
 */
function selectChannels(
  runtime: Runtime,
  config: TenantConfig,
  requested: string[] | undefined,
  destination: Destination,
): string[] {
  const names = requested ?? config.channels ?? [...runtime.channels.keys()];
  const usable: string[] = [];
  for (const name of names) {
    const channel = runtime.channels.get(name);
    if (channel === undefined) {
      if (requested !== undefined)
        throw invalidRequest(
          `unknown channel '${name}' (configured: ${[...runtime.channels.keys()].join(', ')})`,
        );
      continue;
    }
    if (addressFor(channel, destination) !== undefined && !usable.includes(name)) usable.push(name);
  }
  return usable;
}

function smsChannel(channel: Channel | undefined): boolean {
  return channel !== undefined && mediumOf(channel) === 'sms';
}

async function lookupFor(
  runtime: Runtime,
  destination: Destination,
): Promise<LookupResult | undefined> {
  if (destination.phone === undefined || runtime.lookupProvider === undefined) return undefined;
  const { phone } = destination;
  const base: LookupResult = {
    e164: phone.e164,
    country: phone.country,
    lineType: lineTypeOf(phone),
    valid: true,
  };
  try {
    return { ...base, ...(await runtime.lookupProvider.lookup(destination.phone.e164)) };
  } catch (error) {
    runtime.logger.warn(
      { err: error instanceof Error ? error.message : String(error) },
      'checkpoint lookup provider failed',
    );
    return base;
  }
}

/** The country policy's and the send guards' answer, and the lookup they saw. */
interface Screened {
  lookup: LookupResult | undefined;
  refusal?: CheckpointError;
}

/** A verification ready to store, with its code. */
interface Drafted {
  record: VerificationRecord;
  code: string;
  plan: PlannedChannels;
}

/** The channels a send may use; `demandReasons` when the pumping policy took some away. */
interface PlannedChannels {
  channels: string[];
  demandReasons?: string[];
  refusal?: undefined;
}

/** {@link PlannedChannels}, or the refusal when no channel is left. */
type ChannelPlan = PlannedChannels | { channels?: undefined; refusal: CheckpointError };

/**
 * @internal
 * The candidates minus the media this number opted out of (STOP) and minus those the pumping
 * policy rules out for it; when nothing is left, the refusal that says why.
 */
function planChannels(
  runtime: Runtime,
  config: TenantConfig,
  destination: Destination,
  candidates: readonly string[],
  optedOut: readonly string[],
  lookup: LookupResult | undefined,
): ChannelPlan {
  const reachable = candidates.filter((name) => {
    const channel = runtime.channels.get(name);
    return channel === undefined || !optedOut.includes(mediumOf(channel));
  });
  if (reachable.length === 0 && candidates.length > 0) {
    return {
      refusal: new CheckpointError(
        'channel_unavailable',
        'this number opted out of text messages (STOP) and no other channel can reach it',
        { reasons: ['opted_out'] },
      ),
    };
  }
  // Pumping policy: no SMS to fixed lines and VoIP, nothing that reaches the SIM after a recent swap.
  const demand =
    destination.phone === undefined ? undefined : channelDemand(config, destination.phone, lookup);
  const channels = reachable.filter((name) => {
    const channel = runtime.channels.get(name);
    return (
      channel === undefined || demand === undefined || !demand.media.includes(mediumOf(channel))
    );
  });
  if (channels.length === 0 && reachable.length > 0 && demand !== undefined) {
    return {
      refusal: new CheckpointError(
        'fraud_detected',
        `no channel this policy allows can reach this number (${demand.reasons.join(', ')})`,
        { reasons: demand.reasons },
      ),
    };
  }
  if (channels.length === 0) {
    return {
      refusal: new CheckpointError(
        'channel_unavailable',
        'no configured channel can reach this destination',
        { reasons: ['no_channel'] },
      ),
    };
  }
  return demand === undefined || channels.length === reachable.length
    ? { channels }
    : { channels, demandReasons: demand.reasons };
}
