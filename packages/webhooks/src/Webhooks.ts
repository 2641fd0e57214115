import type { AuditEvent } from '@checkpoint/core';
import type { WebhookEventType } from './events/WebhookEvent.js';
import type { DeadLetter, DeadLetterQuery, DeadLetterReason } from './queue/WebhookQueue.js';
import type { WebhookSecrets } from './signing/secrets.js';

/** One of a tenant's endpoints, with its secret(s). */
export interface WebhookEndpointConfig {
  url: string;
  /** `whsec_…`, or several while rotating: every one signs each attempt. */
  secret: WebhookSecrets;
  /** Event types to send; all when omitted. */
  events?: readonly string[];
}

/** What happened to one attempt, for logs and metrics (never carries the body or a secret). */
export interface WebhookAttemptReport {
  deliveryId: string;
  webhookId: string;
  tenantId: string;
  url: string;
  type: WebhookEventType;
  /** 1 for the first attempt. */
  attempt: number;
  /**
   * `delivered` (2xx); `retry` (failed, another attempt is queued); `dead_letter` (given up);
   * `disabled` (410: the endpoint is now disabled); `skipped` (the endpoint was disabled meanwhile).
   */
  outcome: 'delivered' | 'retry' | 'dead_letter' | 'disabled' | 'skipped';
  status?: number;
  error?: string;
  /** For `retry`: milliseconds until the next attempt. */
  retryInMs?: number;
  /** For `dead_letter`. */
  reason?: DeadLetterReason;
}

/** The object `createWebhooks` returns: publish events, read and replay dead letters. */
export interface Webhooks {
  /**
   * Queues the webhook an audit event maps to for each of its tenant's endpoints that wants it
   * (and is not disabled); resolves with how many were queued (0 for events apps are not told).
   */
  publish(event: AuditEvent): Promise<number>;
  /** A tenant's given-up deliveries, newest first. */
  deadLetters(query: DeadLetterQuery): Promise<DeadLetter[]>;
  /**
   * Queues a dead letter again with a fresh retry schedule and the same `webhook-id`. Rejects with
   * `not_found` for an unknown id, `invalid_request` while its endpoint is disabled.
   */
  replay(id: string): Promise<void>;
  /** Re-enables an endpoint disabled by a 410; resolves whether it was disabled. */
  enable(url: string): Promise<boolean>;
  isDisabled(url: string): Promise<boolean>;
  /** Stops the queue (waiting for attempts under way). */
  close(): Promise<void>;
}
