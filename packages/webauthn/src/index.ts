export { createWebAuthn } from './createWebAuthn.js';
export type { WebAuthn } from './createWebAuthn.js';
export type { WebAuthnOptions } from './WebAuthnOptions.js';

export type { RegistrationOptionsInput } from './ceremonies/registrationOptions.js';
export type { VerifyRegistrationInput } from './ceremonies/verifyRegistration.js';
export type { AuthenticationOptionsInput } from './ceremonies/authenticationOptions.js';
export type {
  AuthenticationResult,
  VerifyAuthenticationInput,
} from './ceremonies/verifyAuthentication.js';

export { MemoryCredentialRepository } from './credentials/MemoryCredentialRepository.js';
export type {
  Aal3Binding,
  CounterUpdate,
  CredentialAttestation,
  CredentialFlag,
  CredentialRepository,
  StoredCredential,
} from './credentials/StoredCredential.js';

export { createFidoMetadata } from './metadata/createFidoMetadata.js';
export type {
  FidoMetadata,
  FidoMetadataOptions,
  MetadataSource,
  MetadataSummary,
} from './metadata/createFidoMetadata.js';
export { FIDO_MDS_ROOTS } from './metadata/fidoRoots.js';
export type {
  Aal3Approval,
  Aal3Candidate,
  ApprovedAuthenticator,
} from './attestation/AttestationOptions.js';

export type { MetadataFailure, WebAuthnRefusal } from './errors/refusal.js';

export type {
  AuthenticationResponseJSON,
  AuthenticatorStatus,
  CredentialDeviceType,
  MetadataBLOBPayloadEntry,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
