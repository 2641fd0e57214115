// Metrics
export { metricsAuditLog } from './metrics/metricsAuditLog.js';
export type { MetricsAuditLog, MetricsAuditLogOptions } from './metrics/metricsAuditLog.js';
export type { MetricBuckets } from './metrics/checkpointMetrics.js';
export { enrolmentMetrics } from './metrics/enrolmentMetrics.js';
export type {
  EnrolmentCounts,
  EnrolmentMetrics,
  EnrolmentMetricsOptions,
} from './metrics/enrolmentMetrics.js';

// Logging
export { redactingLogger } from './logging/redactingLogger.js';
export type { PinoLikeLogger, RedactingLogger } from './logging/redactingLogger.js';

// SIEM
export { jsonLinesAuditLog } from './siem/jsonLinesAuditLog.js';
export type { JsonLinesAuditLog, JsonLinesAuditLogOptions } from './siem/jsonLinesAuditLog.js';
