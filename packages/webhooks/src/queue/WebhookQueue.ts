import type { WebhookEventType } from '../events/WebhookEvent.js';

/**
 * One message on its way to one endpoint, as queued between attempts. It holds no secret: each
 * attempt asks the `endpoints` option for the endpoint's current secrets.
 */
export interface WebhookDelivery {
  /** `whd_…`: the same for every attempt and replay of this message to this endpoint. */
  id: string;
  /** The `webhook-id` header (`msg_…`): the receiver's idempotency key. */
  webhookId: string;
  tenantId: string;
  url: string;
  type: WebhookEventType;
  /** The exact JSON body, the same on every attempt. */
  body: string;
  /** Attempts already made (0 before the first). */
  attempt: number;
  /** Times this delivery was replayed from the dead-letter list. */
  replays: number;
  /** Epoch ms when it was queued (or replayed). */
  createdAt: number;
  /** The last failed attempt's HTTP status, when there was a response. */
  lastStatus?: number;
  /** The last failed attempt's error, in words. */
  lastError?: string;
}

/** Why a delivery was given up. */
export type DeadLetterReason =
  /** Every attempt of the retry schedule failed. */
  | 'retries_exhausted'
  /** The endpoint answered 410 Gone and was disabled. */
  | 'gone'
  /** The URL or the address it resolves to is not allowed (SSRF rules, https only). */
  | 'refused'
  /** The endpoint is no longer among the tenant's endpoints. */
  | 'endpoint_removed'
  /** The endpoint's secret is not a valid `whsec_` secret. */
  | 'invalid_secret';

/** A delivery that was given up, kept for the app to inspect and replay. */
export interface DeadLetter {
  /** The delivery id: pass it to `replay(id)`. */
  id: string;
  webhookId: string;
  tenantId: string;
  url: string;
  type: WebhookEventType;
  /** The exact JSON body that was sent. */
  body: string;
  /** Attempts made. */
  attempts: number;
  replays: number;
  /** Epoch ms when the delivery was queued (or last replayed). */
  createdAt: number;
  /** Epoch ms when it was given up. */
  failedAt: number;
  reason: DeadLetterReason;
  /** The last HTTP status, when there was a response. */
  status?: number;
  /** The last error, in words. */
  error?: string;
}

/** Selects dead letters. */
export interface DeadLetterQuery {
  tenantId: string;
  /** At most this many, newest first. @default 100 */
  limit?: number;
}

/**
 * Where deliveries wait and state lives: an in-process {@link MemoryWebhookQueue} by default,
 * `BullMQWebhookQueue` (`@checkpoint/webhooks/bullmq`) on Redis. The queue runs deliveries; the
 * webhooks object decides what an attempt's outcome means (retry, dead letter, disable).
 */
export interface WebhookQueue {
  /** Sets the function that runs a due delivery and starts running them. Called once. */
  start(run: (delivery: WebhookDelivery) => Promise<void>): void;
  /** Runs `delivery` once `delayMs` has passed, at least once, in some process. */
  add(delivery: WebhookDelivery, delayMs: number): Promise<void>;
  /** Files a given-up delivery (replacing one with the same id). */
  addDeadLetter(letter: DeadLetter): Promise<void>;
  /** A tenant's dead letters, newest first. */
  deadLetters(query: DeadLetterQuery): Promise<DeadLetter[]>;
  /** Removes and returns a dead letter; null when unknown or already taken (by another replay). */
  takeDeadLetter(id: string): Promise<DeadLetter | null>;
  /** Marks an endpoint URL disabled (`true`) or enabled again (`false`); resolves whether it changed. */
  setDisabled(url: string, disabled: boolean): Promise<boolean>;
  isDisabled(url: string): Promise<boolean>;
  /** Stops running deliveries (waiting for those under way) and releases what the queue opened. */
  close(): Promise<void>;
}
