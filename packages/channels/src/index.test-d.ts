// Type tests of the public API: checked by `tsc -b` (part of `pnpm test`).
import {
  type Channel,
  type CheckpointOptions,
  createCheckpoint,
  type DeliveryReceipt,
  type MessageOptions,
} from '@checkpoint/core';
import { expectTypeOf } from 'vitest';
import {
  localizedMessages,
  parseTwilioInbound,
  parseTwilioStatus,
  parseWhatsAppStatuses,
  type SandboxBehaviour,
  type SandboxChannel,
  sandboxBehaviour,
  sandboxChannel,
  type SmtpEmailChannel,
  smtpEmail,
  type TwilioKeyword,
  twilioSms,
  twilioVoice,
  validateTwilioSignature,
  validateWhatsAppSignature,
  type WhatsAppReceipt,
  whatsappCloud,
  whatsappVerifyHandshake,
} from './index.js';
import {
  type FakeTwilio,
  type FakeWhatsApp,
  startFakeTwilio,
  startFakeWhatsApp,
} from './testing/index.js';

const account = { accountSid: `AC${'0'.repeat(32)}`, authToken: 't' };
expectTypeOf(twilioSms({ ...account, from: '+15005550006' })).toEqualTypeOf<Channel>();
expectTypeOf(twilioVoice({ ...account, from: '+15005550006' })).toEqualTypeOf<Channel>();
expectTypeOf(
  whatsappCloud({ phoneNumberId: '1', accessToken: 't', template: 'login_code' }),
).toEqualTypeOf<Channel>();
expectTypeOf(
  smtpEmail({ transport: { host: 'localhost' }, from: 'a@b.c' }),
).toEqualTypeOf<SmtpEmailChannel>();
expectTypeOf<SmtpEmailChannel>().toExtend<Channel>();
expectTypeOf(sandboxChannel()).toEqualTypeOf<SandboxChannel>();
expectTypeOf<SandboxChannel>().toExtend<Channel>();
expectTypeOf(localizedMessages()).toEqualTypeOf<MessageOptions>();
expectTypeOf(localizedMessages()).toExtend<NonNullable<CheckpointOptions['message']>>();

// Every factory plugs into core, receipts go back to it.
const checkpoint = createCheckpoint({
  secret: 'x'.repeat(32),
  channels: [
    sandboxChannel({ name: 'sms', onReceipt: (receipt) => checkpoint.recordDelivery(receipt) }),
  ],
  message: localizedMessages({ appName: 'Acme' }),
});
expectTypeOf(parseTwilioStatus({})).toEqualTypeOf<DeliveryReceipt | undefined>();
expectTypeOf(parseWhatsAppStatuses({})).toEqualTypeOf<WhatsAppReceipt[]>();
expectTypeOf<WhatsAppReceipt>().toExtend<Parameters<typeof checkpoint.recordDelivery>[0]>();
expectTypeOf(parseTwilioInbound({}).keyword).toEqualTypeOf<TwilioKeyword | undefined>();
expectTypeOf<TwilioKeyword>().toEqualTypeOf<'STOP' | 'HELP' | 'START'>();
expectTypeOf(
  validateTwilioSignature({ authToken: 't', url: 'https://a', params: {}, signature: undefined }),
).toEqualTypeOf<boolean>();
expectTypeOf(
  validateWhatsAppSignature({ appSecret: 's', rawBody: Buffer.from(''), header: undefined }),
).toEqualTypeOf<boolean>();
expectTypeOf(whatsappVerifyHandshake({ query: {}, verifyToken: 't' })).toEqualTypeOf<
  string | undefined
>();
expectTypeOf(sandboxBehaviour('+14155550100')).toEqualTypeOf<SandboxBehaviour | undefined>();
expectTypeOf(startFakeTwilio).returns.resolves.toEqualTypeOf<FakeTwilio>();
expectTypeOf(startFakeWhatsApp).returns.resolves.toEqualTypeOf<FakeWhatsApp>();
