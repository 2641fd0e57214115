import { Counter, Histogram, type Registry } from 'prom-client';

/** @internal The metrics, registered once per registry (and prefix). */
export interface CheckpointMetrics {
  started: Counter;
  sends: Counter;
  checks: Counter;
  ended: Counter;
  blocks: Counter;
  fallbacks: Counter;
  receipts: Counter;
  optOuts: Counter;
  throttles: Counter;
  sendAttempts: Counter;
  phoneVerifications: Counter;
  stepUpApprovals: Counter;
  factorEvents: Counter;
  appendErrors: Counter;
  deliveryLatency: Histogram;
  timeToVerify: Histogram;
}

/** Buckets, in seconds. */
export interface MetricBuckets {
  /** Send to delivery receipt. @default [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300] */
  deliveryLatency?: number[];
  /** Verification created to approving check. @default [5, 10, 20, 30, 45, 60, 90, 120, 180, 300, 600] */
  timeToVerify?: number[];
}

/** @internal */
export function checkpointMetrics(
  registry: Registry,
  prefix: string,
  tenant: boolean,
  buckets: MetricBuckets,
): CheckpointMetrics {
  const extra = tenant ? ['tenant'] : [];
  const counter = (name: string, help: string, labelNames: string[], perTenant = true): Counter => {
    const full = `${prefix}${name}`;
    const existing = registry.getSingleMetric(full);
    if (existing instanceof Counter) return existing;
    return new Counter({
      name: full,
      help,
      labelNames: [...labelNames, ...(perTenant ? extra : [])],
      registers: [registry],
    });
  };
  const histogram = (
    name: string,
    help: string,
    labelNames: string[],
    values: number[],
  ): Histogram => {
    const full = `${prefix}${name}`;
    const existing = registry.getSingleMetric(full);
    if (existing instanceof Histogram) return existing;
    return new Histogram({
      name: full,
      help,
      labelNames: [...labelNames, ...extra],
      buckets: values,
      registers: [registry],
    });
  };
  return {
    started: counter(
      'verifications_started_total',
      'Verifications created (a code was generated).',
      ['purpose'],
    ),
    sends: counter(
      'sends_total',
      'Codes handed to a channel: outcome accepted, or failed with the reason (an error code).',
      ['channel', 'purpose', 'outcome', 'reason'],
    ),
    checks: counter('checks_total', 'Code checks by result.', ['channel', 'purpose', 'result']),
    ended: counter(
      'verifications_ended_total',
      'Verifications that reached a final status (approved, max_attempts, expired, canceled).',
      ['purpose', 'status'],
    ),
    blocks: counter(
      'blocks_total',
      'Sends refused before a code was generated, by error code and reason (velocity, country, pumping).',
      ['purpose', 'code', 'reason'],
    ),
    fallbacks: counter(
      'fallbacks_total',
      'Fallback escalations: escalated to the next channel, exhausted or max_sends.',
      ['from', 'to', 'purpose', 'result', 'reason'],
    ),
    receipts: counter(
      'delivery_receipts_total',
      'Provider delivery receipts by status and provider error code.',
      ['channel', 'purpose', 'status', 'error_code'],
    ),
    optOuts: counter(
      'opt_outs_total',
      'Carrier keywords applied: STOP (opted_out) and START (opted_in).',
      ['medium', 'action'],
    ),
    throttles: counter(
      'pumping_throttles_total',
      'Prefix blocks and countries the pumping guard closed for low conversion.',
      ['scope'],
    ),
    sendAttempts: counter(
      'send_attempts_total',
      'Every send asked for, once: requested (a code was made), or blocked_pumping / blocked_velocity / blocked_other.',
      ['purpose', 'outcome'],
    ),
    phoneVerifications: counter(
      'phone_verifications_total',
      'Sends to phone numbers by the country of the number: blocked, requested, approved.',
      ['country', 'stage'],
    ),
    stepUpApprovals: counter(
      'step_up_approvals_total',
      'Step-ups approved, by checkpoint, method and whether the method is phishing-resistant (audited methods only).',
      ['checkpoint', 'method', 'phishing_resistant'],
    ),
    factorEvents: counter(
      'factor_events_total',
      'Changes to the factors users hold: factor.enrolled, factor.removed, recovery codes, remembered devices.',
      ['event', 'method'],
    ),
    appendErrors: counter(
      'audit_append_errors_total',
      'Audit events the wrapped audit log failed to store.',
      [],
      false,
    ),
    deliveryLatency: histogram(
      'delivery_latency_seconds',
      'Seconds from handing a code to a channel to its delivery receipt.',
      ['channel', 'purpose', 'status'],
      buckets.deliveryLatency ?? [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300],
    ),
    timeToVerify: histogram(
      'time_to_verify_seconds',
      'Seconds from creating a verification to its approving check.',
      ['channel', 'purpose'],
      buckets.timeToVerify ?? [5, 10, 20, 30, 45, 60, 90, 120, 180, 300, 600],
    ),
  };
}
