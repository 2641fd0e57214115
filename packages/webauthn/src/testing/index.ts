export { SoftwareAuthenticator } from './SoftwareAuthenticator.js';
export type {
  AssertionOverrides,
  CeremonyOverrides,
  SoftwareAuthenticatorOptions,
} from './SoftwareAuthenticator.js';
export { encodeCbor } from './cbor.js';
export type { CborValue } from './cbor.js';
