import type { AuditLog } from '@checkpoint/core';
import { Registry } from 'prom-client';
import { checkpointMetrics, type MetricBuckets } from './checkpointMetrics.js';
import { LabelValues } from './labelValues.js';
import { STEP_UP_CHECKPOINTS, observeEvent } from './observeEvent.js';

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
  /**
   * Purposes that are step-up checkpoints: their approved codes count in
   * `step_up_approvals_total`. Add the names of your own checkpoints.
   * @default the built-in step-up checkpoints of @checkpoint/policy (admin_role_grant,
   * billing_change, api_key_create, audit_log_access, data_export, contact_change, factor_change)
   */
  stepUpPurposes?: readonly string[];
}

/** The audit log {@link metricsAuditLog} returns: the wrapped log, plus its registry. */
export interface MetricsAuditLog extends AuditLog {
  readonly registry: Registry;
}

/**
 * An audit log that also counts: each event is appended to `inner`, then turned into prom-client
 * metrics — sends by channel and outcome, checks by result, blocks by reason, fallback
 * escalations, delivery receipts by provider error, delivery-latency and time-to-verify
 * histograms, each per purpose; send attempts by outcome (the pumping-signal rate), phone
 * verifications by country (drop-off), step-up approvals by method, and factor changes. Reads go to `inner`. Labels hold only short identifiers (channel,
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
    stepUpPurposes = STEP_UP_CHECKPOINTS,
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
  const stepUps = new Set(stepUpPurposes);
  return {
    registry,
    async append(event) {
      try {
        observeEvent(event, { metrics, labels, tenantLabel, stepUps });
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
