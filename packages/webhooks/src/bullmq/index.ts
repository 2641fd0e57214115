export { BullMQWebhookQueue } from './BullMQWebhookQueue.js';
export type { BullMQWebhookQueueOptions } from './BullMQWebhookQueue.js';
