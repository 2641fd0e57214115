// Type tests of the public API: checked by `tsc -b` (part of `pnpm test`).
import type { Factor } from '@checkpoint/policy';
import { expectTypeOf } from 'vitest';
import {
  type AuthenticationResult,
  type CredentialRepository,
  createWebAuthn,
  MemoryCredentialRepository,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type StoredCredential,
  type WebAuthn,
  type WebAuthnOptions,
  type WebAuthnRefusal,
} from './index.js';
import { type AssertionOverrides, SoftwareAuthenticator } from './testing/index.js';

declare const options: WebAuthnOptions;
declare const webauthn: WebAuthn;

expectTypeOf(createWebAuthn(options)).toEqualTypeOf<WebAuthn>();
expectTypeOf(new MemoryCredentialRepository()).toExtend<CredentialRepository>();
expectTypeOf(
  webauthn.registrationOptions({ userId: 'u', userName: 'n' }),
).resolves.toEqualTypeOf<PublicKeyCredentialCreationOptionsJSON>();
expectTypeOf(
  webauthn.authenticationOptions(),
).resolves.toEqualTypeOf<PublicKeyCredentialRequestOptionsJSON>();
expectTypeOf(
  webauthn.verifyRegistration({ userId: 'u', response: {} }),
).resolves.toEqualTypeOf<StoredCredential>();
expectTypeOf(
  webauthn.verifyAuthentication({ response: {} }),
).resolves.toEqualTypeOf<AuthenticationResult>();
expectTypeOf<AuthenticationResult['factor']>().toEqualTypeOf<Factor>();
expectTypeOf<StoredCredential['deviceType']>().toEqualTypeOf<'singleDevice' | 'multiDevice'>();
expectTypeOf<'webauthn:counter'>().toExtend<WebAuthnRefusal>();
expectTypeOf<AssertionOverrides['userHandle']>().toEqualTypeOf<string | null | undefined>();
expectTypeOf(
  new SoftwareAuthenticator({ origin: 'https://a.example' }).credentialIds,
).toEqualTypeOf<string[]>();

// @ts-expect-error userName is required at registration
void webauthn.registrationOptions({ userId: 'u' });
// @ts-expect-error verifyAuthentication needs the response
void webauthn.verifyAuthentication({ userId: 'u' });
