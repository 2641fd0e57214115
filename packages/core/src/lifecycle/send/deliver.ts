import { CheckpointError } from '../../errors/CheckpointError.js';
import type { LookupResult } from '../../destination/lookupPhone.js';
import { dispatch, expireJobKey, recordVerificationEvent, scheduleFallback } from '../dispatch.js';
import { storeCall, timers } from '../runtime.js';
import type { SendResult } from '../send.js';
import type { Counted } from './countSend.js';
import type { SendRequest } from './sendRequest.js';

/**
 * @internal
 * Step 6, dispatch: audits the request, hands the code to the first channel that takes it (the
 * next on a refusal), and sets the timers (expiry, fallback). When no channel takes it, the
 * verification is canceled rather than left with a code nobody received.
 */
export async function deliver(
  request: SendRequest,
  { record, code, plan }: Counted,
  lookup: LookupResult | undefined,
): Promise<SendResult> {
  const { runtime } = request;
  const { id } = record;
  const auditEventId = await recordVerificationEvent(runtime, record, {
    type: 'verification.requested',
    context: request.context,
    ...(plan.demandReasons === undefined ? {} : { reasons: plan.demandReasons }),
    data: {
      channels: record.channels.join(','),
      subjectBound: request.subject !== undefined,
      ...(lookup === undefined ? {} : { lineType: lookup.lineType }),
      ...(lookup?.simSwapAgeSeconds === undefined
        ? {}
        : { simSwapAgeSeconds: lookup.simSwapAgeSeconds }),
    },
  });

  const outcome = await dispatch(runtime, record, code, 0, request.origin);
  if (outcome === undefined) {
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
  await scheduleFallback(runtime, record, outcome, request.config.fallbackTimeoutSeconds);
  return {
    id,
    status: 'pending',
    channel: outcome.channel,
    expiresAt: record.expiresAt,
    auditEventId,
  };
}
