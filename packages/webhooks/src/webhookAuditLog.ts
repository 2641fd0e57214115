import type { AuditEvent, AuditLog } from '@checkpoint/core';
import type { Webhooks } from './Webhooks.js';

/** Options of {@link webhookAuditLog}. */
export interface WebhookAuditLogOptions {
  /**
   * Called when an event could not be queued for its webhooks (the endpoints function or the
   * queue failed). The audit append itself is unaffected.
   * @default logs with console.error
   */
  onError?: (error: unknown, event: AuditEvent) => void;
}

/**
 * An audit log that also sends webhooks: each event is appended to `inner`, then queued as the
 * webhook it maps to (if any) for its tenant's endpoints. Reads go to `inner`. Turns webhooks on
 * with no change to core; keep a reference to `inner` for what it offers beyond AuditLog (exports).
 *
 * The webhook is queued even when `inner` fails (the decision it reports has been made); the
 * append's error is then rethrown for core to log. Queuing failures go to `onError`, never to
 * core: a webhook problem never fails a send or a check.
 *
 * @example
 * const auditLog = new MemoryAuditLog();
 * const checkpoint = createCheckpoint({ secret, channels, auditLog: webhookAuditLog(auditLog, webhooks) });
 */
export function webhookAuditLog(
  inner: AuditLog,
  webhooks: Pick<Webhooks, 'publish'>,
  { onError }: WebhookAuditLogOptions = {},
): AuditLog {
  if (typeof inner?.append !== 'function') {
    throw new TypeError('webhookAuditLog requires an AuditLog to wrap, e.g. new MemoryAuditLog()');
  }
  if (typeof webhooks?.publish !== 'function') {
    throw new TypeError('webhookAuditLog requires the object createWebhooks() returns');
  }
  const report =
    onError ??
    ((error: unknown, event: AuditEvent) =>
      console.error(`checkpoint: webhook for audit event ${event.id} not queued`, error));
  return {
    async append(event) {
      let failure: { error: unknown } | undefined;
      try {
        await inner.append(event);
      } catch (error) {
        failure = { error };
      }
      try {
        await webhooks.publish(event);
      } catch (error) {
        report(error, event);
      }
      if (failure !== undefined) throw failure.error;
    },
    byVerification: (verificationId) => inner.byVerification(verificationId),
    query: (query) => inner.query(query),
  };
}
