export { SoftwareAuthenticator } from './SoftwareAuthenticator.js';
export type {
  AssertionOverrides,
  CeremonyOverrides,
  SoftwareAuthenticatorOptions,
} from './SoftwareAuthenticatorOptions.js';
export type { AttestationFormat, AttestationSigner } from './attestationStatement.js';
export { createTestMetadata } from './createTestMetadata.js';
export type { TestAuthenticatorModel, TestMetadata } from './createTestMetadata.js';
export { metadataBlob, metadataEntry } from './metadataBlob.js';
export type { MetadataBlobOptions, MetadataModel } from './metadataBlob.js';
export { testCertificate } from './testCertificate.js';
export type { TestCertificate, TestCertificateOptions, TestName } from './testCertificate.js';
export { encodeCbor } from './cbor.js';
export type { CborValue } from './cbor.js';
export {
  CHROMIUM_PATH,
  CHROMIUM_VIRTUAL_AUTHENTICATOR,
  launchChromium,
  pageWithVirtualAuthenticator,
} from './chromium.js';
