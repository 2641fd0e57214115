// Type tests of the public API: checked by `tsc -b` (part of `pnpm test`).
import type { Factor } from '@checkpoint/policy';
import { expectTypeOf } from 'vitest';
import {
  type Aal3Binding,
  type Aal3Candidate,
  type AuthenticationResult,
  type CredentialAttestation,
  type CredentialRepository,
  createFidoMetadata,
  createWebAuthn,
  type FidoMetadata,
  type MetadataFailure,
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
expectTypeOf<'webauthn:authenticator_status'>().toExtend<WebAuthnRefusal>();
expectTypeOf<'webauthn:metadata_chain'>().toExtend<MetadataFailure>();
expectTypeOf(createFidoMetadata({ source: { file: 'blob.jwt' } })).toEqualTypeOf<FidoMetadata>();
expectTypeOf<StoredCredential['attested']>().toEqualTypeOf<CredentialAttestation | undefined>();
expectTypeOf<StoredCredential['aal3']>().toEqualTypeOf<Aal3Binding | undefined>();
expectTypeOf<CredentialAttestation['trust']>().toEqualTypeOf<'metadata' | 'tenant'>();
expectTypeOf<
  Parameters<NonNullable<WebAuthnOptions['approveAal3Enrolment']>>[0]
>().toEqualTypeOf<Aal3Candidate>();
expectTypeOf<AssertionOverrides['userHandle']>().toEqualTypeOf<string | null | undefined>();
expectTypeOf(
  new SoftwareAuthenticator({ origin: 'https://a.example' }).credentialIds,
).toEqualTypeOf<string[]>();

// @ts-expect-error userName is required at registration
void webauthn.registrationOptions({ userId: 'u' });
// @ts-expect-error verifyAuthentication needs the response
void webauthn.verifyAuthentication({ userId: 'u' });
// @ts-expect-error sessionAal is an AAL
void webauthn.verifyRegistration({ userId: 'u', response: {}, sessionAal: 4 });
// @ts-expect-error an approval says who approved
void createWebAuthn({ ...options, approveAal3Enrolment: () => true });
