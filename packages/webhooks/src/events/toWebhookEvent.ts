import { createHash } from 'node:crypto';
import {
  type AuditEvent,
  type AuditEventType,
  CONTROL_EVENT_TYPES,
  type ControlEventType,
  FACTOR_EVENT_TYPES,
  type FactorEventType,
} from '@checkpoint/core';
import type { WebhookEvent, WebhookEventType } from './WebhookEvent.js';

const FAILED_CHECKS = new Set(['failed', 'max_attempts']);
const FAILED_RECEIPTS = new Set(['failed', 'undelivered']);
const AUDIT_ID = /^ae_([A-Za-z0-9_-]{1,200})$/;

/**
 * The webhook event an audit event becomes, or undefined when it is not one apps are told about
 * (a request, a dispatch, a passing receipt, a configuration change…).
 *
 * | audit event                                             | webhook event                   |
 * | ------------------------------------------------------- | ------------------------------- |
 * | `verification.approved`                                 | `verification.approved`         |
 * | `verification.checked`, result `failed`/`max_attempts`  | `verification.failed`           |
 * | `verification.expired`                                  | `verification.expired`          |
 * | `verification.dispatch_failed`                          | `verification.delivery_failed`  |
 * | `delivery.receipt`, result `failed`/`undelivered`       | `verification.delivery_failed`  |
 * | `verification.fallback`                                 | `verification.fallback`         |
 * | `verification.blocked`                                  | `verification.blocked`          |
 * | `factor.enrolled`, `factor.removed`                     | the same                        |
 * | `recovery_codes.generated`, `recovery_code.used`        | the same                        |
 * | `device.remembered`, `device.revoked`                   | the same                        |
 * | `checkpoint.cooldown_*`, `.frequency_refused`, `.notified` | the same                      |
 * | `api_key.created`, `api_key.rotated`                    | the same                        |
 *
 * @example
 * toWebhookEvent(auditEvent)?.type // 'verification.failed'
 */
export function toWebhookEvent(event: AuditEvent): WebhookEvent | undefined {
  const type = webhookType(event.type, event.result);
  if (type === undefined) return undefined;
  const { destination } = event;
  return {
    type,
    timestamp: new Date(event.at).toISOString(),
    data: {
      tenantId: event.tenantId,
      verificationId: event.verificationId ?? null,
      purpose: event.purpose ?? null,
      channel: event.channel ?? null,
      result: event.result ?? null,
      reasons: [...(event.reasons ?? [])],
      userId: typeof event.data?.userId === 'string' ? event.data.userId : null,
      // Picked field by field: the keyed hash beside them must never leave the process.
      destination:
        destination === undefined
          ? null
          : {
              kind: destination.kind,
              masked: destination.masked,
              country: destination.country ?? null,
            },
    },
  };
}

/**
 * The `webhook-id` of the message made from an audit event: `msg_` + the audit event's random
 * part, so a retry, a replay and a second process publishing the same event all carry the same
 * id (the receiver's idempotency key) and it leads back to the audit trail. Ids of another shape
 * are hashed.
 *
 * @example webhookIdFor('ae_3q2-Zx…') // 'msg_3q2-Zx…'
 */
export function webhookIdFor(auditEventId: string): string {
  const match = AUDIT_ID.exec(auditEventId);
  if (match?.[1] !== undefined) return `msg_${match[1]}`;
  return `msg_${createHash('sha256').update(auditEventId).digest('base64url').slice(0, 22)}`;
}

function webhookType(
  type: AuditEventType,
  result: string | undefined,
): WebhookEventType | undefined {
  switch (type) {
    case 'verification.approved':
    case 'verification.expired':
    case 'verification.fallback':
    case 'verification.blocked':
      return type;
    case 'verification.checked':
      return result !== undefined && FAILED_CHECKS.has(result) ? 'verification.failed' : undefined;
    case 'verification.dispatch_failed':
      return 'verification.delivery_failed';
    case 'delivery.receipt':
      return result !== undefined && FAILED_RECEIPTS.has(result)
        ? 'verification.delivery_failed'
        : undefined;
    default:
      return isFactorEvent(type) || isControlEvent(type) ? type : undefined;
  }
}

function isFactorEvent(type: AuditEventType): type is FactorEventType {
  return (FACTOR_EVENT_TYPES as readonly string[]).includes(type);
}

function isControlEvent(type: AuditEventType): type is ControlEventType {
  return (CONTROL_EVENT_TYPES as readonly string[]).includes(type);
}
