// Type tests of the public API: checked by `tsc -b` (part of `pnpm test`).
import type { Factor } from '@checkpoint/policy';
import type { IDToken } from 'openid-client';
import { expectTypeOf } from 'vitest';
import {
  createSso,
  type IdpConfig,
  localPath,
  readAssertion,
  type Sso,
  type SsoAssertion,
  type SsoFailureReason,
  type SsoResult,
  type StartResult,
  type StepUp,
  stepUpAtIdp,
  stepUpParams,
  ssoUserKey,
} from './index.js';
import {
  type CookieJar,
  loginThrough,
  type TestIdp,
  type TestIdpOptions,
  type TestLogin,
  startTestIdp,
} from './testing/index.js';

declare const idp: IdpConfig;
declare const sso: Sso;

expectTypeOf(
  createSso({ idps: { acme: idp }, redirectUri: 'https://app.example/cb' }),
).toEqualTypeOf<Sso>();
expectTypeOf(createSso).toBeCallableWith({
  idps: async (tenantId: string) => (tenantId === 'acme' ? idp : undefined),
  redirectUri: 'https://app.example/cb',
});
expectTypeOf(sso.start({ tenantId: 'acme' })).resolves.toEqualTypeOf<StartResult>();
expectTypeOf<StartResult['transaction']>().toEqualTypeOf<string>();
expectTypeOf(
  sso.callback({ tenantId: 'acme', currentUrl: '/cb?code=x', transaction: undefined }),
).resolves.toEqualTypeOf<SsoResult>();
expectTypeOf<SsoResult['factor']>().toEqualTypeOf<Factor>();
expectTypeOf<SsoResult['claims']>().toEqualTypeOf<IDToken>();
expectTypeOf<SsoResult['subject']['key']>().toEqualTypeOf<string>();
expectTypeOf(readAssertion).returns.toEqualTypeOf<SsoAssertion>();
expectTypeOf(stepUpParams).returns.toEqualTypeOf<Record<string, string>>();
expectTypeOf(localPath).returns.toEqualTypeOf<string | undefined>();
expectTypeOf(stepUpAtIdp).returns.toEqualTypeOf<StepUp | undefined>();
expectTypeOf(ssoUserKey).returns.toEqualTypeOf<string>();
expectTypeOf<'oidc:state_mismatch'>().toExtend<SsoFailureReason>();
// @ts-expect-error a reason outside the closed set
expectTypeOf<'oidc:whatever'>().toExtend<SsoFailureReason>();

expectTypeOf(startTestIdp).returns.resolves.toEqualTypeOf<TestIdp>();
expectTypeOf<TestIdp['loginThrough']>().returns.resolves.toEqualTypeOf<URL>();
expectTypeOf(loginThrough)
  .parameter(1)
  .toHaveProperty('jar')
  .toEqualTypeOf<CookieJar | undefined>();

// A step-up asks by acr values, authentication contexts or amr conditions, with max_age and prompt.
const byContext: StepUp = { acrs: ['c1'], maxAge: 300, prompt: 'login' };
const byAmr: StepUp = { amr: [{ allOf: ['hwk'], anyOf: ['pin', 'fpt'] }], maxAge: 0 };
void [byContext, byAmr];
// @ts-expect-error prompt is only ever 'login'
const consent: StepUp = { prompt: 'consent' };
void consent;
expectTypeOf<'oidc:acrs_not_satisfied'>().toExtend<SsoFailureReason>();
expectTypeOf<'oidc:amr_not_satisfied'>().toExtend<SsoFailureReason>();
expectTypeOf<TestLogin['acrs']>().toEqualTypeOf<string[] | undefined>();
expectTypeOf<TestIdpOptions['idTokenClaims']>().toEqualTypeOf<
  readonly ('acr' | 'amr' | 'auth_time' | 'acrs')[] | undefined
>();
