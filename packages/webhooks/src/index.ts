export { createWebhooks } from './createWebhooks.js';
export type { WebhooksOptions } from './createWebhooks.js';
export type { WebhookAttemptReport, WebhookEndpointConfig, Webhooks } from './Webhooks.js';
export { webhookAuditLog } from './webhookAuditLog.js';
export type { WebhookAuditLogOptions } from './webhookAuditLog.js';

export { WEBHOOK_EVENT_TYPES } from './events/WebhookEvent.js';
export type {
  WebhookDestination,
  WebhookEvent,
  WebhookEventData,
  WebhookEventType,
} from './events/WebhookEvent.js';
export { toWebhookEvent, webhookIdFor } from './events/toWebhookEvent.js';

export { generateWebhookSecret } from './signing/secrets.js';
export type { WebhookSecrets } from './signing/secrets.js';
export { signWebhook } from './signing/signWebhook.js';
export type { SignWebhookInput } from './signing/signWebhook.js';
export { verifyWebhook } from './signing/verifyWebhook.js';
export type { VerifyWebhookOptions, WebhookHeaders } from './signing/verifyWebhook.js';
export { memoryReplayGuard, storeReplayGuard } from './signing/ReplayGuard.js';
export type {
  MemoryReplayGuardOptions,
  ReplayGuard,
  StoreReplayGuardOptions,
} from './signing/ReplayGuard.js';

export { DEFAULT_RETRY_SCHEDULE, MAX_RETRY_AFTER_MS } from './delivery/retrySchedule.js';
export type { ResolvedAddress, WebhookLookup } from './delivery/resolveEndpoint.js';

export { MemoryWebhookQueue } from './queue/MemoryWebhookQueue.js';
export type { MemoryWebhookQueueOptions } from './queue/MemoryWebhookQueue.js';
export type {
  DeadLetter,
  DeadLetterQuery,
  DeadLetterReason,
  WebhookDelivery,
  WebhookQueue,
} from './queue/WebhookQueue.js';
