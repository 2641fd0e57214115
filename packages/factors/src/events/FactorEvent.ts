import { randomBytes } from 'node:crypto';
import type { AuditEvent, AuditLog, FactorEventType } from '@checkpoint/core';

/** What happened to a user's factors. Each is also an audit event of the same type. */
export type { FactorEventType } from '@checkpoint/core';

/**
 * A change to (or use of) a user's factors, as `onEvent` receives it: never a secret, a code or a
 * cookie value. Announce `factor.*` and `recovery_code.used` to the user on a channel other than
 * the one just used (NIST SP 800-63B rev 4 §4.1, §4.2).
 *
 * @example onEvent: async (event) => { if (event.type === 'recovery_code.used') await mailUser(event.userId, 'A recovery code was used'); }
 */
export interface FactorEvent {
  type: FactorEventType;
  tenantId: string;
  userId: string;
  method: 'totp' | 'recovery-code' | 'remembered-device';
  /** Epoch milliseconds. */
  at: number;
  /** The audit event recorded for it, when an audit log is configured. */
  auditEventId?: string;
  /** Non-secret facts: `remaining` codes, a device `id`, how many devices were revoked. */
  data?: Record<string, string | number | boolean>;
}

/** @internal Records an event in the audit log (when configured), then hands it to `onEvent`. */
export async function emit(
  sinks: {
    auditLog?: AuditLog | undefined;
    onEvent?: ((event: FactorEvent) => unknown) | undefined;
  },
  event: FactorEvent,
): Promise<FactorEvent> {
  let emitted = event;
  if (sinks.auditLog !== undefined) {
    const audit: AuditEvent = {
      id: `ae_${randomBytes(16).toString('base64url')}`,
      type: event.type,
      at: event.at,
      tenantId: event.tenantId,
      result: event.method,
      data: { userId: event.userId, method: event.method, ...event.data },
    };
    await sinks.auditLog.append(audit);
    emitted = { ...event, auditEventId: audit.id };
  }
  await sinks.onEvent?.(emitted);
  return emitted;
}
