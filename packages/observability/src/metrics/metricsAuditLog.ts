import type { AuditEvent, AuditLog } from '@checkpoint/core';
import { Registry } from 'prom-client';
import {
  type CheckpointMetrics,
  checkpointMetrics,
  type MetricBuckets,
} from './checkpointMetrics.js';
import { LabelValues } from './labelValues.js';

/** Options of {@link metricsAuditLog}. */
export interface MetricsAuditLogOptions {
  /** Where the metrics are registered; serve it at /metrics. @default a new Registry */
  registry?: Registry;
  /** Prefix of every metric name. @default 'checkpoint_' */
  prefix?: string;
  /**
   * Adds a `tenant` label to every metric. Off by default: tenants can be many, and per-tenant
   * numbers belong in audit queries; turn it on for a handful of large tenants. @default false
   */
  tenantLabel?: boolean;
  /** Distinct values kept per label before further ones read `other`. @default 100 */
  maxLabelValues?: number;
  /** Histogram buckets in seconds. */
  buckets?: MetricBuckets;
}

/** The audit log {@link metricsAuditLog} returns: the wrapped log, plus its registry. */
export interface MetricsAuditLog extends AuditLog {
  readonly registry: Registry;
}

/**
 * An audit log that also counts: each event is appended to `inner`, then turned into prom-client
 * metrics — sends by channel and outcome, checks by result, blocks by reason, fallback
 * escalations, delivery receipts by provider error, delivery-latency and time-to-verify
 * histograms, each per purpose. Reads go to `inner`. Labels hold only short identifiers (channel,
 * purpose, result and reason codes), never a code, a destination, an IP or a tenant (unless
 * `tenantLabel`). Needs no change to core: pass it as `auditLog`.
 *
 * @example
 * const registry = new Registry();
 * const auditLog = metricsAuditLog(new PostgresAuditLog({ pool }), { registry });
 * const checkpoint = createCheckpoint({ secret, channels, auditLog });
 * app.get('/metrics', metricsHandler(registry));
 * @see https://prometheus.io/docs/practices/naming/
 */
export function metricsAuditLog(
  inner: AuditLog,
  {
    registry = new Registry(),
    prefix = 'checkpoint_',
    tenantLabel = false,
    maxLabelValues = 100,
    buckets = {},
  }: MetricsAuditLogOptions = {},
): MetricsAuditLog {
  if (typeof inner?.append !== 'function') {
    throw new TypeError('metricsAuditLog requires an AuditLog to wrap, e.g. new MemoryAuditLog()');
  }
  if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(prefix)) {
    throw new TypeError(
      'metricsAuditLog: `prefix` must be a Prometheus metric name prefix, e.g. "checkpoint_"',
    );
  }
  const metrics = checkpointMetrics(registry, prefix, tenantLabel, buckets);
  const labels = new LabelValues(maxLabelValues);
  return {
    registry,
    async append(event) {
      try {
        observe(metrics, labels, tenantLabel, event);
      } catch {
        // Metrics are best effort: a label problem never loses an audit event.
      }
      try {
        await inner.append(event);
      } catch (error) {
        metrics.appendErrors.inc();
        throw error;
      }
    },
    byVerification: (verificationId) => inner.byVerification(verificationId),
    query: (query) => inner.query(query),
  };
}

function observe(
  metrics: CheckpointMetrics,
  labels: LabelValues,
  tenantLabel: boolean,
  event: AuditEvent,
): void {
  const label = (name: string, value: unknown): string => labels.value(name, value);
  const base = (names: Record<string, unknown>): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(names)) out[name] = label(name, value);
    if (tenantLabel) out.tenant = label('tenant', event.tenantId);
    return out;
  };
  const purpose = event.purpose;
  const seconds = event.latencyMs === undefined ? undefined : event.latencyMs / 1_000;
  switch (event.type) {
    case 'verification.requested':
      metrics.started.inc(base({ purpose }));
      return;
    case 'verification.dispatched':
      metrics.sends.inc(base({ channel: event.channel, purpose, outcome: 'accepted', reason: '' }));
      return;
    case 'verification.dispatch_failed':
      metrics.sends.inc(
        base({ channel: event.channel, purpose, outcome: 'failed', reason: event.result }),
      );
      return;
    case 'verification.checked':
      metrics.checks.inc(base({ channel: event.channel, purpose, result: event.result }));
      if (event.result === 'approved' && seconds !== undefined) {
        metrics.timeToVerify.observe(base({ channel: event.channel, purpose }), seconds);
      }
      if (event.result === 'max_attempts')
        metrics.ended.inc(base({ purpose, status: 'max_attempts' }));
      return;
    case 'verification.approved':
      metrics.ended.inc(base({ purpose, status: 'approved' }));
      return;
    case 'verification.expired':
      metrics.ended.inc(base({ purpose, status: 'expired' }));
      return;
    case 'verification.canceled':
      metrics.ended.inc(base({ purpose, status: 'canceled' }));
      return;
    case 'verification.blocked':
      for (const reason of event.reasons?.length ? event.reasons : [event.result]) {
        metrics.blocks.inc(base({ purpose, code: event.result, reason }));
      }
      return;
    case 'verification.fallback': {
      const escalated = event.result === 'escalated';
      metrics.fallbacks.inc(
        base({
          from: escalated ? event.data?.from : event.channel,
          to: escalated ? event.data?.to : '',
          purpose,
          result: event.result,
          reason: event.reasons?.[0],
        }),
      );
      return;
    }
    case 'delivery.receipt':
      metrics.receipts.inc(
        base({
          channel: event.channel,
          purpose,
          status: event.result,
          error_code: event.data?.errorCode,
        }),
      );
      if (seconds !== undefined) {
        metrics.deliveryLatency.observe(
          base({ channel: event.channel, purpose, status: event.result }),
          seconds,
        );
      }
      return;
    case 'destination.opted_out':
    case 'destination.opted_in':
      metrics.optOuts.inc(
        base({ medium: event.channel, action: event.type.slice('destination.'.length) }),
      );
      return;
    case 'pumping.throttled':
      metrics.throttles.inc(base({ scope: event.result }));
      return;
    default:
      return;
  }
}
