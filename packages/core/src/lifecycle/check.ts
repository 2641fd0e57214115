import type { RequestContext } from '../audit/AuditEvent.js';
import type { ChannelMedium } from '../channels/Channel.js';
import { CheckpointError } from '../errors/CheckpointError.js';
import type { CheckBinding } from '../store/Store.js';
import { codeMedia } from './codeMedia.js';
import { clearTimers, recordVerificationEvent } from './dispatch.js';
import {
  asObject,
  parseCode,
  parseContext,
  parsePurpose,
  parseSubject,
  parseTenantId,
  parseVerificationId,
} from './parseInput.js';
import { type CheckLimit, checkLimits } from './rateLimit.js';
import { type Runtime, storeCall } from './runtime.js';

/** Input of `checkpoint.check()`. */
export interface CheckInput {
  id: string;
  /** The digits the user typed, as a string (leading zeros matter). */
  code: string;
  /** When given, must equal the verification's; otherwise the answer is `not_found`. */
  purpose?: string;
  tenantId?: string;
  subject?: string;
  context?: RequestContext;
  /**
   * App counters this check is charged to, e.g. failed checks per IP and per user across
   * verifications: when one is full the check throws `rate_limited` (with `retryAfter` and the
   * limit's `reason`) before the code is compared; otherwise one unit is taken from each in the
   * check's own store step and given back when it approves. Concurrent checks therefore get at
   * most `limit` codes compared. @default none
   */
  limits?: readonly CheckLimit[];
}

/** The result of a check. A wrong code is a result (`failed`), not an error. */
export type CheckStatus = 'approved' | 'failed' | 'expired' | 'max_attempts' | 'canceled';

export interface CheckResult {
  status: CheckStatus;
  remainingAttempts: number;
  /** The channel in use now; after a fallback, not necessarily the one whose code was typed. */
  channel: string;
  /**
   * The media of every channel that was handed a code of this verification, in send order, each
   * once (`['email', 'sms']` after a fallback from email to SMS). Every code stays valid until the
   * verification expires, so any of them may be the one typed: count an approval as the weakest
   * (@checkpoint/policy's `otpMethodOf`).
   */
  media: ChannelMedium[];
  auditEventId: string;
}

/**
 * @internal
 * Checks a code in one atomic store operation. The code is hashed under every configured key
 * first, so rotation costs no extra round trip. Exactly one check of a verification can return
 * `approved`; any later check of it is `not_found`.
 */
export async function check(runtime: Runtime, raw: unknown): Promise<CheckResult> {
  const input = asObject(raw, 'check input');
  const id = parseVerificationId(input.id);
  const code = parseCode(input.code);
  const binding: CheckBinding = {};
  if (input.purpose !== undefined) binding.purpose = parsePurpose(input.purpose);
  if (input.tenantId !== undefined) binding.tenantId = parseTenantId(input.tenantId);
  const subject = parseSubject(input.subject);
  if (subject !== undefined) binding.subject = subject;
  const context = parseContext(input.context);
  const limits = checkLimits(input.limits);
  const candidates = runtime.keyring.codeCandidates(id, code);
  const now = runtime.clock.now();
  const result = await storeCall(runtime, 'check', () =>
    runtime.store.check({ id, candidates, binding, now, counters: limits.counters }),
  );
  if (result.outcome === 'rate_limited') throw limits.refusal(result.key, result.retryAfter);
  if (result.outcome === 'not_found')
    throw new CheckpointError('not_found', 'no such verification');

  const { record, outcome, transitioned, evaluated } = result;
  // The approval, for the pumping guards' conversion tallies: queued, so that an approving check
  // answers after one store round trip (see ApprovalTallies).
  if (outcome === 'approved' && transitioned) runtime.approvals.add(record);
  const remainingAttempts = Math.max(0, record.maxAttempts - record.attempts);
  const budgetSpent =
    outcome === 'max_attempts' && transitioned && record.attempts < record.maxAttempts;
  const auditEventId = await recordVerificationEvent(runtime, record, {
    type: 'verification.checked',
    channel: record.channel,
    context,
    result: outcome,
    latencyMs: Math.max(0, now - record.createdAt),
    data: { evaluated, attempt: record.attempts, remainingAttempts },
    ...(budgetSpent ? { reasons: ['destination_failures'] } : {}),
  });
  if (transitioned) {
    await clearTimers(runtime, id);
    if (outcome === 'approved') {
      await recordVerificationEvent(runtime, record, {
        type: 'verification.approved',
        channel: record.channel,
        context,
        result: 'approved',
      });
    } else if (outcome === 'expired') {
      await recordVerificationEvent(runtime, record, {
        type: 'verification.expired',
        result: 'expired',
      });
    }
  }
  runtime.logger.info(
    { verificationId: id, status: outcome, remainingAttempts },
    'checkpoint code checked',
  );
  return {
    status: outcome,
    remainingAttempts,
    channel: record.channel,
    media: codeMedia(runtime.channels, record),
    auditEventId,
  };
}
