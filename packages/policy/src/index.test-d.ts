// Type tests of the public API: checked by `tsc -b` (part of `pnpm test`).
import { expectTypeOf } from 'vitest';
import {
  type Aal,
  type AmrCondition,
  type AmrRule,
  amrMeets,
  type Assurance,
  type AuthState,
  assuranceOf,
  type Checkpoint,
  type CheckpointName,
  type CheckpointOverride,
  CHECKPOINTS,
  type Evaluation,
  evaluate,
  type Factor,
  factor,
  type Method,
  type OtpMedium,
  type OtpMethod,
  otpMethodOf,
  resolveCheckpoint,
  type SessionExpiry,
  sessionExpired,
  type StepUpReason,
  type TenantPolicy,
  type TrustedIdp,
} from './index.js';

declare const state: AuthState;
declare const tenant: TenantPolicy;
declare const now: number;

expectTypeOf(factor('pwd', { at: now })).toEqualTypeOf<Factor>();
expectTypeOf(assuranceOf(state.factors, tenant, { now })).toEqualTypeOf<Assurance>();
expectTypeOf<Assurance['aal']>().toEqualTypeOf<0 | 1 | 2 | 3>();
expectTypeOf(resolveCheckpoint('login', tenant)).toEqualTypeOf<Checkpoint>();
expectTypeOf(CHECKPOINTS).toExtend<Readonly<Record<CheckpointName, Checkpoint>>>();
expectTypeOf(evaluate('login', state, tenant, now)).toEqualTypeOf<Evaluation>();
expectTypeOf(evaluate(CHECKPOINTS.data_export, undefined, tenant, now)).toEqualTypeOf<Evaluation>();
expectTypeOf<StepUpReason>().toEqualTypeOf<
  'insufficient_aal' | 'stale' | 'wrong_tenant' | 'phishing_resistance_required'
>();

// `satisfied` narrows the outcome.
const result = evaluate('billing_change', state, tenant, now);
if (result.satisfied) {
  expectTypeOf(result.aal).toEqualTypeOf<Aal>();
} else {
  expectTypeOf(result.methods).toEqualTypeOf<Method[]>();
  expectTypeOf(result.currentAal).toEqualTypeOf<0 | 1 | 2 | 3>();
}

// A switch over the reason is exhaustive.
export function explain(reason: StepUpReason): string {
  switch (reason) {
    case 'insufficient_aal':
      return 'stronger';
    case 'stale':
      return 'again';
    case 'phishing_resistance_required':
      return 'passkey';
    case 'wrong_tenant':
      return 'sign in';
    default: {
      const unreachable: never = reason;
      return unreachable;
    }
  }
}

const expiry = sessionExpired({ aal: 2, startedAt: now, lastActivityAt: now }, now);
expectTypeOf(expiry).toEqualTypeOf<SessionExpiry>();
if (expiry.expired) expectTypeOf(expiry.limit).toEqualTypeOf<'inactivity' | 'absolute'>();

// The factor method of a code is one of the otp- methods, from the media of the codes sent.
expectTypeOf(otpMethodOf(['email', 'sms'])).toEqualTypeOf<OtpMethod>();
expectTypeOf<OtpMethod>().toEqualTypeOf<'otp-sms' | 'otp-voice' | 'otp-whatsapp' | 'otp-email'>();
expectTypeOf<OtpMedium>().toEqualTypeOf<'sms' | 'voice' | 'whatsapp' | 'email' | 'phone'>();
// @ts-expect-error a channel name is not a medium
otpMethodOf(['twilio']);

// @ts-expect-error an unknown method
factor('sms', { at: now });
// @ts-expect-error the time of the event is required
factor('pwd', {});
// @ts-expect-error AAL 4 does not exist
const aal4: CheckpointOverride = { aal: 4 };
void aal4;
// @ts-expect-error a tenant needs an id
evaluate('login', state, {}, now);
// @ts-expect-error a Factor carries its amr values: build it with factor()
const forged: Factor = { method: 'pwd', aal: 1, at: now };
void forged;

// An IdP is trusted by acr values, amr rules, authentication contexts, or any mix of them.
const okta: TrustedIdp = {
  issuer: 'https://acme.okta.com',
  acr: { 'urn:okta:loa:2fa:any': 2, phrh: 3 },
  amr: [
    { allOf: ['mfa'], aal: 2 },
    { allOf: ['hwk'], anyOf: ['pin', 'fpt'], aal: 3 },
  ],
};
const entra: TrustedIdp = { issuer: 'https://login.microsoftonline.com/t/v2.0', acrs: { c1: 2 } };
void [okta, entra];
expectTypeOf<AmrRule>().toExtend<AmrCondition>();
expectTypeOf(amrMeets(['pwd', 'mfa'], { allOf: ['mfa'] })).toEqualTypeOf<boolean>();
// @ts-expect-error an amr rule needs the AAL it stands for
const noAal: AmrRule = { allOf: ['mfa'] };
void noAal;
// @ts-expect-error an authentication context never stands for AAL3
const contextAal3: TrustedIdp = { issuer: 'https://idp.example', acrs: { c1: 3 } };
void contextAal3;
expectTypeOf<Factor['acrs']>().toEqualTypeOf<readonly string[] | undefined>();
