export { twilioSms } from './twilio/twilioSms.js';
export type { TwilioSmsOptions } from './twilio/twilioSms.js';
export { twilioVoice } from './twilio/twilioVoice.js';
export type { TwilioVoiceOptions } from './twilio/twilioVoice.js';
export type { TwilioAccountOptions } from './twilio/twilioAccount.js';
export { twilioSignature, validateTwilioSignature } from './twilio/validateTwilioSignature.js';
export type {
  TwilioSignatureInput,
  ValidateTwilioSignatureInput,
} from './twilio/validateTwilioSignature.js';
export {
  parseTwilioStatus,
  TWILIO_CALL_STATUS,
  TWILIO_MESSAGE_STATUS,
} from './twilio/parseTwilioStatus.js';
export type { ParseTwilioStatusOptions } from './twilio/parseTwilioStatus.js';
export { parseTwilioInbound, TWILIO_KEYWORDS } from './twilio/parseTwilioInbound.js';
export type { TwilioInboundMessage, TwilioKeyword } from './twilio/parseTwilioInbound.js';
export type { TwilioParams } from './twilio/twilioParams.js';
export { twilioLookup } from './lookup/twilioLookup.js';
export type { TwilioLookupField, TwilioLookupOptions } from './lookup/twilioLookup.js';
export { parseTwilioLookup, TWILIO_LINE_TYPES } from './lookup/parseTwilioLookup.js';
export type { ProviderFacts } from './lookup/parseTwilioLookup.js';

export { whatsappCloud } from './whatsapp/whatsappCloud.js';
export type { WhatsAppCloudOptions } from './whatsapp/whatsappCloud.js';
export {
  validateWhatsAppSignature,
  whatsappSignature,
} from './whatsapp/validateWhatsAppSignature.js';
export type {
  ValidateWhatsAppSignatureInput,
  WhatsAppSignatureInput,
} from './whatsapp/validateWhatsAppSignature.js';
export { parseWhatsAppStatuses } from './whatsapp/parseWhatsAppStatuses.js';
export type {
  ParseWhatsAppStatusesOptions,
  WhatsAppReceipt,
} from './whatsapp/parseWhatsAppStatuses.js';
export { whatsappVerifyHandshake } from './whatsapp/whatsappVerifyHandshake.js';
export type { WhatsAppHandshakeInput } from './whatsapp/whatsappVerifyHandshake.js';

export { smtpEmail } from './email/smtpEmail.js';
export type { SmtpEmailChannel, SmtpEmailOptions } from './email/smtpEmail.js';

export { sandboxChannel } from './sandbox/sandboxChannel.js';
export type {
  SandboxChannel,
  SandboxChannelOptions,
  SandboxMessage,
} from './sandbox/sandboxChannel.js';
export {
  SANDBOX_EMAIL_DOMAIN,
  SANDBOX_NUMBER_RANGES,
  sandboxBehaviour,
} from './sandbox/sandboxBehaviour.js';
export type { SandboxBehaviour } from './sandbox/sandboxBehaviour.js';

export { localizedMessages, SMS_RETRIEVER_MAX_BYTES } from './templates/localizedMessages.js';
export type { LocalizedMessagesOptions } from './templates/localizedMessages.js';
export { MESSAGE_TEMPLATES } from './templates/messageTemplates.js';
export type { LocaleTemplates } from './templates/messageTemplates.js';
export type { TemplateOverrides } from './templates/renderTemplate.js';
export { renderVoiceTwiml } from './templates/renderVoiceTwiml.js';
export type { VoiceTwimlInput } from './templates/renderVoiceTwiml.js';
export { renderEmail } from './templates/renderEmail.js';
export type { EmailContent, EmailInput } from './templates/renderEmail.js';
