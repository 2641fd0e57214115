import { generateCode } from '../codes/generateCode.js';
import type { ScheduledJob } from '../scheduler/Scheduler.js';
import {
  dispatch,
  fallbackJobKey,
  nextChannelIndex,
  scheduleFallback,
  recordVerificationEvent,
} from './dispatch.js';
import { type Runtime, storeCall, tenantConfig, timers } from './runtime.js';

/**
 * @internal
 * Moves a pending verification from `fromChannel` to the next channel that can serve it, with a
 * new code (earlier codes stay valid; the send counts against maxSends). The store's
 * compare-and-set on the current channel makes a timer and a failed receipt racing, or two
 * processes running the same job, escalate once.
 */
export async function escalate(
  runtime: Runtime,
  id: string,
  fromChannel: string,
  reason: string,
): Promise<void> {
  const record = await storeCall(runtime, 'get', () => runtime.store.get(id));
  if (record === null || record.status !== 'pending' || record.channel !== fromChannel) return;
  const now = runtime.clock.now();
  if (now >= record.expiresAt) return;
  // A receipt can beat the timer it cancels (the timer is armed just after the dispatch is
  // recorded): a channel whose latest message was delivered is never escalated for silence.
  if (reason === 'fallback_timeout') {
    const latest = record.deliveries.filter((d) => d.channel === fromChannel).at(-1);
    if (latest?.status === 'delivered' || latest?.status === 'read') return;
  }
  const next = nextChannelIndex(runtime, record, record.channels.indexOf(fromChannel));
  if (next < 0) {
    await recordVerificationEvent(runtime, record, {
      type: 'verification.fallback',
      channel: fromChannel,
      result: 'exhausted',
      reasons: [reason],
    });
    return;
  }
  const toChannel = record.channels[next] as string;
  const code = generateCode(record.codeLength, runtime.random);
  const added = await storeCall(runtime, 'addSend', () =>
    runtime.store.addSend({
      id,
      codeHash: runtime.keyring.hashCode(id, code),
      channel: toChannel,
      now,
      enforceCooldown: false,
      expectedChannel: fromChannel,
    }),
  );
  if (!added.ok) {
    if (added.reason === 'max_sends') {
      await recordVerificationEvent(runtime, record, {
        type: 'verification.fallback',
        channel: fromChannel,
        result: 'max_sends',
        reasons: [reason],
      });
    }
    return;
  }
  await recordVerificationEvent(runtime, added.record, {
    type: 'verification.fallback',
    channel: toChannel,
    result: 'escalated',
    reasons: [reason],
    data: { from: fromChannel, to: toChannel },
  });
  const outcome = await dispatch(runtime, added.record, code, next);
  if (outcome === undefined) return;
  const config = await tenantConfig(runtime, record.tenantId);
  await scheduleFallback(runtime, added.record, outcome, config.fallbackTimeoutSeconds);
}

/** @internal Runs a due scheduler job. Idempotent: a job run twice changes nothing the second time. */
export async function runJob(runtime: Runtime, job: ScheduledJob): Promise<void> {
  if (job.kind === 'fallback') {
    if (job.channel !== undefined)
      await escalate(runtime, job.verificationId, job.channel, 'fallback_timeout');
    return;
  }
  const now = runtime.clock.now();
  const moved = await storeCall(runtime, 'transition', () =>
    runtime.store.transition({ id: job.verificationId, to: 'expired', now }),
  );
  if (moved?.changed) {
    await timers(runtime, 'cancel', (scheduler) =>
      scheduler.cancel(fallbackJobKey(job.verificationId)),
    );
    await recordVerificationEvent(runtime, moved.record, {
      type: 'verification.expired',
      result: 'expired',
    });
  }
}
