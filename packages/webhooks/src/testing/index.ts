export { startWebhookReceiver } from './startWebhookReceiver.js';
export type {
  ReceivedWebhook,
  ReceiverResponse,
  WebhookReceiver,
  WebhookReceiverOptions,
} from './startWebhookReceiver.js';
