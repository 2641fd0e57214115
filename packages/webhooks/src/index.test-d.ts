// Type tests of the public surface: checked by `tsc -b` (part of `pnpm test`).
import type { AuditLog, CheckpointError } from '@checkpoint/core';
import { expectTypeOf } from 'vitest';
import type { BullMQWebhookQueue } from './bullmq/index.js';
import {
  createWebhooks,
  type DeadLetter,
  type MemoryWebhookQueue,
  type VerifyWebhookOptions,
  verifyWebhook,
  type WebhookEvent,
  type WebhookEventType,
  type WebhookQueue,
  type Webhooks,
  type WebhooksOptions,
  webhookAuditLog,
} from './index.js';

expectTypeOf(createWebhooks).returns.toEqualTypeOf<Webhooks>();
expectTypeOf(webhookAuditLog).returns.toEqualTypeOf<AuditLog>();
expectTypeOf<MemoryWebhookQueue>().toExtend<WebhookQueue>();
expectTypeOf<BullMQWebhookQueue>().toExtend<WebhookQueue>();

// endpoints may answer synchronously or with a promise; a secret is one string or a rotation list.
expectTypeOf<{ endpoints: () => [{ url: string; secret: string }] }>().toExtend<WebhooksOptions>();
expectTypeOf<{
  endpoints: () => Promise<Array<{ url: string; secret: string[]; events: string[] }>>;
}>().toExtend<WebhooksOptions>();
expectTypeOf<{ endpoints: () => [{ url: string }] }>().not.toExtend<WebhooksOptions>();
expectTypeOf<{ allowHttp: true }>().not.toExtend<WebhooksOptions>();

expectTypeOf<Webhooks['deadLetters']>().returns.toEqualTypeOf<Promise<DeadLetter[]>>();
expectTypeOf<Webhooks['replay']>().toEqualTypeOf<(id: string) => Promise<void>>();

// verifyWebhook resolves with Checkpoint's event unless told otherwise (never called: types only).
async function _verified(options: VerifyWebhookOptions): Promise<void> {
  expectTypeOf(await verifyWebhook(options)).toEqualTypeOf<WebhookEvent>();
  expectTypeOf(await verifyWebhook<{ kind: string }>(options)).toEqualTypeOf<{ kind: string }>();
}
expectTypeOf<WebhookEvent['type']>().toEqualTypeOf<WebhookEventType>();
expectTypeOf<WebhookEvent['data']['destination']>().toEqualTypeOf<{
  kind: 'phone' | 'email';
  masked: string;
  country: string | null;
} | null>();
// Nothing in the payload type can carry a hash.
expectTypeOf<NonNullable<WebhookEvent['data']['destination']>>().not.toHaveProperty('hash');
expectTypeOf<CheckpointError['code']>()
  .extract<'authentication_failed'>()
  .toEqualTypeOf<'authentication_failed'>();
