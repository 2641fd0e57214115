import type { AuditEvent } from '../audit/AuditEvent.js';
import type { Channel } from '../channels/Channel.js';
import { renderMessage } from '../channels/renderMessage.js';
import { type Destination, primaryDestination } from '../destination/normalizeDestination.js';
import { isCheckpointError } from '../errors/CheckpointError.js';
import type { VerificationRecord } from '../store/Store.js';
import { type Runtime, recordEvent, storeCall, timers } from './runtime.js';

/** @internal The audit fields every event of a verification carries. */
export function verificationFields(record: VerificationRecord): VerificationFields {
  // A send or check writes two or three events of one record: mask its destination once.
  const known = fieldsOf.get(record);
  if (known !== undefined) return known;
  const { kind, masked } = primaryDestination(record.to);
  const fields: VerificationFields = {
    tenantId: record.tenantId,
    verificationId: record.id,
    purpose: record.purpose,
    destination: {
      kind,
      hash: record.destinationHash,
      masked,
      ...(record.to.phone?.country === undefined ? {} : { country: record.to.phone.country }),
    },
  };
  fieldsOf.set(record, fields);
  return fields;
}

/**
 * @internal
 * Appends an event of a verification: its {@link verificationFields} and `event`. The event is
 * built as one object literal rather than by spreading the fields into it: on Node 20 (V8 11)
 * spreading an object first and adding properties after costs microseconds per event.
 */
export function recordVerificationEvent(
  runtime: Runtime,
  record: VerificationRecord,
  event: Omit<AuditEvent, 'id' | 'at' | keyof VerificationFields> & { at?: number },
): Promise<string> {
  const fields = verificationFields(record);
  return recordEvent(runtime, {
    tenantId: fields.tenantId,
    verificationId: fields.verificationId,
    purpose: fields.purpose,
    destination: fields.destination,
    ...event,
  });
}

type VerificationFields = Required<
  Pick<AuditEvent, 'tenantId' | 'verificationId' | 'purpose' | 'destination'>
>;
// The fields never change for a record object: each event copies them into a fresh object.
const fieldsOf = new WeakMap<VerificationRecord, VerificationFields>();

/** @internal Where a channel sends for a destination, or undefined when it cannot serve it. */
export function addressFor(channel: Channel, to: Destination): string | undefined {
  return channel.kind === 'phone' ? to.phone?.e164 : to.email;
}

/** @internal Index of the next channel after `from` that can serve the verification, or -1. */
export function nextChannelIndex(
  runtime: Runtime,
  record: VerificationRecord,
  from: number,
): number {
  for (let index = from + 1; index < record.channels.length; index += 1) {
    const channel = runtime.channels.get(record.channels[index] as string);
    if (channel !== undefined && addressFor(channel, record.to) !== undefined) return index;
  }
  return -1;
}

/** @internal The outcome of handing one code to the channels. */
export interface DispatchOutcome {
  channel: string;
  delivered: boolean;
  auditEventId: string;
}

/**
 * @internal
 * Hands `code` to the channel at `startIndex`, moving along the channel list while channels
 * refuse (the code was not delivered, so the same code goes to the next channel). Records each
 * attempt. Returns undefined when every remaining channel refused.
 *
 * `origin` is a per-send origin (from `send` or `resend`, validated) for the WebOTP line of a
 * checkpoint that has no origin of its own. It is not stored with the verification, to keep each
 * record small: a fallback fired later by a timer renders with the checkpoint's origin only.
 */
export async function dispatch(
  runtime: Runtime,
  record: VerificationRecord,
  code: string,
  startIndex: number,
  origin?: string,
): Promise<DispatchOutcome | undefined> {
  for (let index = startIndex; index >= 0; index = nextChannelIndex(runtime, record, index)) {
    const name = record.channels[index] as string;
    const channel = runtime.channels.get(name);
    const to = channel === undefined ? undefined : addressFor(channel, record.to);
    if (channel === undefined || to === undefined) continue;
    const now = runtime.clock.now();
    const text = renderMessage(
      runtime.message,
      {
        code,
        kind: channel.kind,
        locale: record.locale,
        purpose: record.purpose,
        minutes: Math.max(1, Math.ceil((record.expiresAt - now) / 60_000)),
        ...(record.approving === undefined ? {} : { approving: record.approving }),
      },
      origin,
    );
    let result: Awaited<ReturnType<Channel['send']>> | undefined;
    let errorCode: string | undefined;
    try {
      result = await channel.send({
        verificationId: record.id,
        to,
        code,
        text,
        locale: record.locale,
        purpose: record.purpose,
        tenantId: record.tenantId,
        expiresAt: record.expiresAt,
      });
      if (result.status === 'failed' || result.status === 'undelivered')
        errorCode = `status_${result.status}`;
    } catch (error) {
      errorCode = isCheckpointError(error) ? error.code : 'channel_error';
      runtime.logger.warn(
        {
          verificationId: record.id,
          channel: name,
          to: primaryDestination(record.to).masked,
          errorCode,
          err: error instanceof Error ? error.message : String(error),
        },
        'checkpoint channel refused a message',
      );
    }
    await storeCall(runtime, 'recordDispatch', () =>
      runtime.store.recordDispatch({
        id: record.id,
        expiresAt: record.expiresAt,
        channel: name,
        status: errorCode === undefined ? (result?.status ?? 'queued') : 'failed',
        now,
        ...(result?.providerMessageId === undefined
          ? {}
          : { providerMessageId: result.providerMessageId }),
        ...(errorCode === undefined ? {} : { errorCode }),
      }),
    );
    if (errorCode !== undefined) {
      await recordVerificationEvent(runtime, record, {
        type: 'verification.dispatch_failed',
        channel: name,
        result: errorCode,
      });
      continue;
    }
    const auditEventId = await recordVerificationEvent(runtime, record, {
      type: 'verification.dispatched',
      channel: name,
      result: result?.status ?? 'queued',
      data: { send: record.sends },
    });
    runtime.logger.info(
      {
        verificationId: record.id,
        channel: name,
        to: verificationFields(record).destination.masked,
      },
      'checkpoint code dispatched',
    );
    return {
      channel: name,
      delivered: result?.status === 'delivered' || result?.status === 'read',
      auditEventId,
    };
  }
  return undefined;
}

/** @internal Job keys, one fallback and one expiry timer per verification. */
export const fallbackJobKey = (id: string): string => `fallback:${id}`;
export const expireJobKey = (id: string): string => `expire:${id}`;

/**
 * @internal
 * After a dispatch: when another channel could take over, escalate to it unless a `delivered`
 * receipt arrives within the tenant's fallback timeout.
 */
export async function scheduleFallback(
  runtime: Runtime,
  record: VerificationRecord,
  outcome: DispatchOutcome,
  timeoutSeconds: number,
): Promise<void> {
  const index = record.channels.indexOf(outcome.channel);
  if (outcome.delivered || nextChannelIndex(runtime, record, index) < 0) {
    await timers(runtime, 'cancel', (scheduler) => scheduler.cancel(fallbackJobKey(record.id)));
    return;
  }
  const runAt = Math.min(runtime.clock.now() + timeoutSeconds * 1_000, record.expiresAt);
  await timers(runtime, 'schedule', (scheduler) =>
    scheduler.schedule({
      key: fallbackJobKey(record.id),
      kind: 'fallback',
      verificationId: record.id,
      runAt,
      channel: outcome.channel,
    }),
  );
}

/** @internal Stops a verification's timers once it is final. */
export async function clearTimers(runtime: Runtime, id: string): Promise<void> {
  await timers(runtime, 'cancel', async (scheduler) => {
    await scheduler.cancel(fallbackJobKey(id));
    await scheduler.cancel(expireJobKey(id));
  });
}
