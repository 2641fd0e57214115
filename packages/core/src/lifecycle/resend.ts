import type { RequestContext } from '../audit/AuditEvent.js';
import { generateCode } from '../codes/generateCode.js';
import { CheckpointError, invalidRequest } from '../errors/CheckpointError.js';
import type { VerificationRecord } from '../store/Store.js';
import { counterReason, counterRules } from '../velocity/counterRules.js';
import {
  addressFor,
  clearTimers,
  dispatch,
  scheduleFallback,
  recordVerificationEvent,
} from './dispatch.js';
import {
  asObject,
  parseChannelName,
  parseContext,
  parseOrigin,
  parseVerificationId,
} from './parseInput.js';
import type { SendResult } from './send.js';
import { type Runtime, storeCall, tenantConfig } from './runtime.js';

/** Options of `checkpoint.resend()`. */
export interface ResendOptions {
  /** Send on this channel of the verification instead of the current one. */
  channel?: string;
  context?: RequestContext;
  /**
   * The origin of the page the user asked from (`'https://shop.example.com'`), for the WebOTP
   * line when the checkpoint has no `origin` of its own (which then wins).
   */
  origin?: string;
}

/**
 * @internal
 * Sends a new code for a pending verification. Earlier codes stay valid; the attempts budget is
 * not reset; the send counts against the destination's velocity caps and maxSends; the cooldown
 * doubles with each resend.
 */
export async function resend(
  runtime: Runtime,
  rawId: unknown,
  rawOptions: unknown,
): Promise<SendResult> {
  const id = parseVerificationId(rawId);
  const options = rawOptions === undefined ? {} : asObject(rawOptions, 'resend options');
  const requested = options.channel === undefined ? undefined : parseChannelName(options.channel);
  const context = parseContext(options.context);
  const origin = parseOrigin(options.origin);
  const record = await pendingRecord(runtime, id);
  const config = await tenantConfig(runtime, record.tenantId);

  const channelName = requested ?? record.channel;
  const index = record.channels.indexOf(channelName);
  const channel = runtime.channels.get(channelName);
  if (index < 0 || channel === undefined || addressFor(channel, record.to) === undefined) {
    throw invalidRequest(
      `channel '${channelName}' is not one of this verification's channels (${record.channels.join(', ')})`,
    );
  }

  const now = runtime.clock.now();
  // Refuse early, from the record just read, what addSend would refuse anyway, so a user tapping
  // "resend" during the cooldown does not use up the destination's velocity allowance.
  const early = resendRefusal(record, now);
  if (early !== undefined) throw await refused(runtime, record, context, early);
  const rules = counterRules(config, {
    tenantId: record.tenantId,
    destinationHashes: [record.destinationHash],
    primaryHash: record.destinationHash,
    subject: record.subject,
    ...(context.ip === undefined ? {} : { ipHash: runtime.keyring.subjectHash('ip', context.ip) }),
    ...(context.asn === undefined ? {} : { asn: context.asn }),
  });
  const velocity = await storeCall(runtime, 'hitCounters', () =>
    runtime.store.hitCounters(rules, now),
  );
  if (!velocity.allowed) {
    const reason = counterReason(velocity.key);
    throw await refused(
      runtime,
      record,
      context,
      new CheckpointError('rate_limited', `too many codes requested (${reason})`, {
        retryAfter: velocity.retryAfter,
        reasons: [reason],
      }),
    );
  }

  const code = generateCode(record.codeLength, runtime.random);
  const added = await storeCall(runtime, 'addSend', () =>
    runtime.store.addSend({
      id,
      codeHash: runtime.keyring.hashCode(id, code),
      channel: channelName,
      now,
      enforceCooldown: true,
    }),
  );
  if (!added.ok) {
    const refusal =
      added.record === undefined || added.reason === 'not_found' || added.reason === 'not_pending'
        ? undefined
        : resendRefusal(added.record, now);
    if (refusal === undefined)
      throw new CheckpointError('not_found', 'no pending verification with this id');
    throw await refused(runtime, record, context, refusal);
  }
  const outcome = await dispatch(runtime, added.record, code, index, origin);
  if (outcome === undefined) {
    throw new CheckpointError(
      'channel_unavailable',
      'every channel refused the message; earlier codes remain valid',
    );
  }
  await scheduleFallback(runtime, added.record, outcome, config.fallbackTimeoutSeconds);
  return {
    id,
    status: 'pending',
    channel: outcome.channel,
    expiresAt: record.expiresAt,
    auditEventId: outcome.auditEventId,
  };
}

/** @internal Cancels a pending verification; its codes stop working at once. */
export async function cancel(
  runtime: Runtime,
  rawId: unknown,
): Promise<{ id: string; status: VerificationRecord['status'] }> {
  const id = parseVerificationId(rawId);
  const now = runtime.clock.now();
  const moved = await storeCall(runtime, 'transition', () =>
    runtime.store.transition({ id, to: 'canceled', now }),
  );
  if (moved === null || moved.record.status === 'approved')
    throw new CheckpointError('not_found', 'no such verification');
  if (moved.changed) {
    await clearTimers(runtime, id);
    await recordVerificationEvent(runtime, moved.record, {
      type: 'verification.canceled',
      result: 'canceled',
    });
  }
  return { id, status: moved.record.status };
}

/** Why a resend must wait (cooldown) or cannot happen (maxSends), judged from a record. */
function resendRefusal(record: VerificationRecord, now: number): CheckpointError | undefined {
  if (record.sends >= record.maxSends) {
    return new CheckpointError(
      'rate_limited',
      `no more codes can be sent for this verification (maxSends ${record.maxSends}); start a new one later`,
      {
        retryAfter: (record.expiresAt - now) / 1_000,
        reasons: ['max_sends'],
      },
    );
  }
  const readyAt =
    record.lastSentAt + record.resendCooldownSeconds * 1_000 * 2 ** (record.sends - 1);
  if (now < readyAt) {
    const wait = Math.ceil((readyAt - now) / 1_000);
    return new CheckpointError('rate_limited', `wait ${wait} s before requesting another code`, {
      retryAfter: wait,
      reasons: ['resend_cooldown'],
    });
  }
  return undefined;
}

async function pendingRecord(runtime: Runtime, id: string): Promise<VerificationRecord> {
  const record = await storeCall(runtime, 'get', () => runtime.store.get(id));
  if (record === null || record.status !== 'pending' || runtime.clock.now() >= record.expiresAt) {
    throw new CheckpointError('not_found', 'no pending verification with this id');
  }
  return record;
}

async function refused(
  runtime: Runtime,
  record: VerificationRecord,
  context: RequestContext,
  error: CheckpointError,
): Promise<CheckpointError> {
  const auditEventId = await recordVerificationEvent(runtime, record, {
    type: 'verification.blocked',
    context,
    result: error.code,
    reasons: [...error.reasons],
    data: { resend: true },
  });
  return new CheckpointError(error.code, error.message, {
    reasons: error.reasons,
    auditEventId,
    ...(error.retryAfter === undefined ? {} : { retryAfter: error.retryAfter }),
  });
}
