export type { FakeFault } from './FakeFault.js';
export type { CallbackResponse } from './postCallback.js';
export type { HttpReply, RecordedRequest } from './startHttpServer.js';
export { startFakeTwilio } from './twilio/startFakeTwilio.js';
export type {
  FakeTwilio,
  FakeTwilioOptions,
  TwilioCallbackInput,
} from './twilio/startFakeTwilio.js';
export type { FakeTwilioCall, FakeTwilioMessage } from './twilio/twilioApi.js';
export { startFakeTwilioLookup } from './twilio/startFakeTwilioLookup.js';
export type {
  FakeTwilioLookup,
  FakeTwilioLookupOptions,
} from './twilio/startFakeTwilioLookup.js';
export type { FakeLookupNumber, TwilioLineTypeName } from './twilio/lookupApi.js';
export { startFakeWhatsApp } from './whatsapp/startFakeWhatsApp.js';
export type {
  FakeWhatsApp,
  FakeWhatsAppOptions,
  WhatsAppCallbackInput,
} from './whatsapp/startFakeWhatsApp.js';
export type { FakeWhatsAppMessage } from './whatsapp/metaApi.js';
export type { FakeWhatsAppStatus } from './whatsapp/metaWebhooks.js';
