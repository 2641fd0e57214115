// Type tests of the public API: checked by `tsc -b` (part of `pnpm test`).
import {
  type ChannelMedium,
  type Checkpoint,
  type CheckResult,
  createCheckpoint,
  outboxChannel,
  type Verification,
} from '@checkpoint/core';
import type { Request } from 'express';
import type { OtpMedium, OtpMethod as PolicyOtpMethod } from '@checkpoint/policy';
import { expectTypeOf } from 'vitest';
import {
  type AuthState,
  type OtpFailureInfo,
  type OtpFailureStatus,
  type OtpMethod,
  otpMethod,
  OtpStrategy,
  type OtpVerified,
  pendingUserId,
} from './index.js';

const checkpoint: Checkpoint = createCheckpoint({
  secret: 'x'.repeat(32),
  channels: [outboxChannel()],
});

// Without passReqToCallback the verify function gets (verification, done).
new OtpStrategy({ checkpoint }, (verification, done) => {
  expectTypeOf(verification).toEqualTypeOf<Verification>();
  expectTypeOf(done).toEqualTypeOf<OtpVerified>();
  done(null, false);
});

// With passReqToCallback: true it gets (req, verification, done).
new OtpStrategy({ checkpoint, passReqToCallback: true }, (req, verification, done) => {
  expectTypeOf(req).toEqualTypeOf<Request>();
  expectTypeOf(verification).toEqualTypeOf<Verification>();
  done(null, { id: 'u1' });
});

// An async verify function is fine.
new OtpStrategy({ checkpoint }, async (_verification, done) => {
  await Promise.resolve();
  done(null, false);
});

// @ts-expect-error: a three-argument verify function needs passReqToCallback: true.
new OtpStrategy(
  { checkpoint },
  (_req: Request, _verification: Verification, _done: OtpVerified) => {},
);

// @ts-expect-error: passReqToCallback: true needs the three-argument form.
new OtpStrategy({ checkpoint, passReqToCallback: true }, (_verification: Verification) => {});

// pendingUserId is a ready-made `subject`.
new OtpStrategy({ checkpoint, subject: pendingUserId }, (_verification, done) => done(null, false));

expectTypeOf<OtpFailureInfo['status']>().toEqualTypeOf<OtpFailureStatus>();
expectTypeOf<OtpFailureStatus>().toEqualTypeOf<
  | 'failed'
  | 'expired'
  | 'max_attempts'
  | 'canceled'
  | 'not_found'
  | 'missing_credentials'
  | 'invalid_request'
  | 'no_pending_login'
  | 'rejected'
>();
expectTypeOf<AuthState['factors'][number]['aal']>().toEqualTypeOf<1 | 2 | 3>();

// Core's media and policy's are the same list: a medium added to one fails to compile here until
// the other, and policy's order of strength, know it.
expectTypeOf<ChannelMedium>().toEqualTypeOf<OtpMedium>();
expectTypeOf<Verification['media']>().toEqualTypeOf<ChannelMedium[]>();
expectTypeOf<CheckResult['media']>().toEqualTypeOf<ChannelMedium[]>();
expectTypeOf<OtpMethod>().toEqualTypeOf<PolicyOtpMethod>();
expectTypeOf(otpMethod).returns.toEqualTypeOf<OtpMethod>();
