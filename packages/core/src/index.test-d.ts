// Type tests of the public API: checked by `tsc -b` (part of `pnpm test`).
import { expectTypeOf } from 'vitest';
import type { CheckpointError } from './index.js';
import {
  type ChannelMedium,
  type CheckResult,
  type Checkpoint,
  type CheckpointErrorCode,
  type SendResult,
  type Store,
  type Verification,
  createCheckpoint,
  MemoryStore,
  outboxChannel,
} from './index.js';

const checkpoint = createCheckpoint({ secret: 'x'.repeat(32), channels: [outboxChannel()] });
expectTypeOf(checkpoint).toEqualTypeOf<Checkpoint>();
expectTypeOf(checkpoint.send).returns.resolves.toEqualTypeOf<SendResult>();
expectTypeOf(checkpoint.check).returns.resolves.toEqualTypeOf<CheckResult>();
expectTypeOf<CheckResult['status']>().toEqualTypeOf<
  'approved' | 'failed' | 'expired' | 'max_attempts' | 'canceled'
>();
expectTypeOf(new MemoryStore()).toExtend<Store>();
// The media of the codes sent, by channel kind and medium, for the factor an approval counts as.
expectTypeOf<CheckResult['media']>().toEqualTypeOf<ChannelMedium[]>();
expectTypeOf<Verification['media']>().toEqualTypeOf<ChannelMedium[]>();
expectTypeOf<ChannelMedium>().toEqualTypeOf<'sms' | 'voice' | 'whatsapp' | 'email' | 'phone'>();

expectTypeOf<CheckpointErrorCode>().toEqualTypeOf<
  | 'invalid_request'
  | 'invalid_number'
  | 'authentication_failed'
  | 'not_found'
  | 'rate_limited'
  | 'country_blocked'
  | 'fraud_detected'
  | 'channel_unavailable'
  | 'store_unavailable'
  | 'idp_unavailable'
>();

// A switch over err.code narrows and is exhaustive.
export function describeError(error: CheckpointError): string {
  switch (error.code) {
    case 'invalid_request':
    case 'invalid_number':
    case 'not_found':
      return 'client';
    case 'rate_limited':
      return `retry in ${error.retryAfter ?? 0}`;
    case 'authentication_failed':
    case 'country_blocked':
    case 'fraud_detected':
      return 'refused';
    case 'channel_unavailable':
    case 'store_unavailable':
    case 'idp_unavailable':
      return 'unavailable';
    default: {
      const unreachable: never = error.code;
      return unreachable;
    }
  }
}

// @ts-expect-error purpose is required
void checkpoint.send({ to: '+14155550100' });
// @ts-expect-error a code is a string (a number would lose leading zeros)
void checkpoint.check({ id: 'vf_x', code: 123456 });
