import { generateCode } from '../../codes/generateCode.js';
import { newVerificationId } from '../../codes/verificationId.js';
import type { LookupResult } from '../../destination/lookupPhone.js';
import { CheckpointError } from '../../errors/CheckpointError.js';
import { isStateful } from '../../pumping/GuardHost.js';
import type { CounterReads, CounterRule, TallyOp, VerificationRecord } from '../../store/Store.js';
import { counterReason, counterRules } from '../../velocity/counterRules.js';
import type { GuardCount, GuardRefusal } from '../SendGuard.js';
import { storeCall } from '../runtime.js';
import { type PlannedChannels, planChannels, smsChannel } from './channelPlan.js';
import type { SendRequest } from './sendRequest.js';

/** @internal A verification the store holds, with its code and the channels it may use. */
export interface Counted {
  record: VerificationRecord;
  code: string;
  plan: PlannedChannels;
}

/**
 * @internal
 * Step 5, the counters, in one store step: the velocity caps and every counting guard's counters
 * (all-or-nothing), their tallies, the number's opt-outs, and the new verification — created in
 * that same step when the counters allow and the number has no opt-outs (one round trip on a
 * single Redis). Then the counting guards judge what the step read; a guard's refusal cancels the
 * verification before any code leaves. A store that cannot create in the counters' step, or a
 * number with opt-outs, gets its verification created separately after them.
 */
export async function countSend(
  request: SendRequest,
  candidates: readonly string[],
  firstPlan: PlannedChannels,
  lookup: LookupResult | undefined,
): Promise<Counted> {
  const { runtime, config, destination, destinationHash, tenantId, context, now } = request;
  const hashes = [destinationHash];
  if (destination.phone !== undefined && destination.email !== undefined)
    hashes.push(runtime.keyring.destinationHash(destination.email));
  const velocity = counterRules(config, {
    tenantId,
    destinationHashes: hashes,
    primaryHash: destinationHash,
    subject: request.subject,
    // Hashed only when a window counts it: a keyed hash is a few microseconds.
    ...(context.ip === undefined || config.velocity.ip.length === 0
      ? {}
      : { ipHash: runtime.keyring.subjectHash('ip', context.ip) }),
    ...(context.asn === undefined ? {} : { asn: context.asn }),
  });
  const counts = guardCounts(request);
  const refusals = new Map<string, GuardRefusal>();
  const rules: CounterRule[] = [...velocity];
  const tallies: TallyOp[] = [];
  for (const count of counts) {
    for (const { rule, refusal } of count.rules) {
      refusals.set(rule.key, refusal);
      rules.push(rule);
    }
    tallies.push(...count.tallies);
  }

  // A number that texted STOP gets no SMS: its opt-outs are read in the same step.
  const optOutsOf =
    destination.phone !== undefined &&
    candidates.some((name) => smsChannel(runtime.channels.get(name)))
      ? {
          tenantId,
          // The primary destination is the phone whenever there is one: its hash is at hand.
          destinationHash,
        }
      : undefined;
  const prepared = draft(request, firstPlan);
  // Approvals queued since the last send ride along (counted whatever this send's answer).
  const approvals = runtime.approvals.take();
  const reads: CounterReads = {
    ...(optOutsOf === undefined ? {} : { optOuts: optOutsOf }),
    create: prepared.record,
    ...(tallies.length + approvals.length === 0 ? {} : { tallies: [...tallies, ...approvals] }),
  };
  const answer = await storeCall(runtime, 'hitCounters', () =>
    runtime.store.hitCounters(rules, now, reads),
  );
  if (!answer.allowed) {
    const refusal = refusals.get(answer.key);
    if (refusal !== undefined) {
      return request.refuse(
        new CheckpointError(refusal.code, `send refused by ${refusal.reason}`, {
          reasons: [refusal.reason],
          retryAfter: answer.retryAfter,
        }),
      );
    }
    const reason = counterReason(answer.key);
    return request.refuse(
      new CheckpointError(
        'rate_limited',
        `too many codes requested (${reason}); retry in ${answer.retryAfter} s`,
        { retryAfter: answer.retryAfter, reasons: [reason] },
      ),
    );
  }

  // The counting guards judge what the step read, each from its own slice of the sums.
  let offset = 0;
  for (const count of counts) {
    const sums = (answer.tallies ?? []).slice(offset, offset + count.tallies.length);
    offset += count.tallies.length;
    const verdict = count.judge(sums);
    if (verdict === undefined) continue;
    await Promise.all([
      verdict.settle?.(),
      answer.created === true
        ? storeCall(runtime, 'transition', () =>
            runtime.store.transition({ id: prepared.record.id, to: 'canceled', now }),
          )
        : undefined,
    ]);
    const { refusal } = verdict;
    return request.refuse(
      new CheckpointError(refusal.code, `send refused by ${refusal.reason}`, {
        reasons: [refusal.reason],
        ...(refusal.retryAfter === undefined ? {} : { retryAfter: refusal.retryAfter }),
      }),
    );
  }
  if (answer.created === true) return prepared;

  // Not created with the counters: read the opt-outs if the store did not, plan, create.
  const optedOut =
    optOutsOf === undefined
      ? []
      : (answer.optOuts ??
        (await storeCall(runtime, 'optOuts', () =>
          runtime.store.optOuts(optOutsOf.tenantId, optOutsOf.destinationHash),
        )));
  const plan = planChannels(runtime, config, destination, candidates, optedOut, lookup);
  if (plan.refusal !== undefined) return request.refuse(plan.refusal);
  const counted = optedOut.length === 0 ? prepared : draft(request, plan);
  await storeCall(runtime, 'create', () => runtime.store.create(counted.record));
  return counted;
}

/** What each counting guard adds to this send's store step. */
function guardCounts(request: SendRequest): GuardCount[] {
  const counts: GuardCount[] = [];
  for (const guard of request.runtime.guards) {
    const count = guard.count?.(request.guardInput());
    if (count !== undefined) counts.push(count);
  }
  return counts;
}

/** A verification ready to store, with its code. */
function draft(request: SendRequest, plan: PlannedChannels): Counted {
  const { runtime, config, destinationHash, now, subject, approving } = request;
  const id = newVerificationId(destinationHash);
  const code = generateCode(config.codeLength, runtime.random);
  const network = networkOf(request);
  const record: VerificationRecord = {
    id,
    tenantId: request.tenantId,
    purpose: request.purpose,
    ...(subject === undefined ? {} : { subject }),
    ...(approving === undefined ? {} : { approving }),
    to: request.destination,
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
    locale: request.locale ?? config.locale,
    codeHashes: [runtime.keyring.hashCode(id, code)],
    failureLimit: config.destinationFailures.limit,
    failureWindowSeconds: config.destinationFailures.windowSeconds,
    failureLockSeconds: config.destinationFailures.lockSeconds,
    createdAt: now,
    expiresAt: now + config.ttlSeconds * 1_000,
    lastSentAt: now,
    deliveries: [],
    ...(network === undefined ? {} : { network }),
  };
  return { record, code, plan };
}

/** The mark a counting guard keeps on the record, so that its approval counts where its send did. */
function networkOf(request: SendRequest): number | undefined {
  for (const guard of request.runtime.guards) {
    if (isStateful(guard) && guard.conversionMark !== undefined)
      return guard.conversionMark(request.guardInput());
  }
  return undefined;
}
