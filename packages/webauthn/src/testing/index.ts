export { SoftwareAuthenticator } from './SoftwareAuthenticator.js';
export type {
  AssertionOverrides,
  CeremonyOverrides,
  SoftwareAuthenticatorOptions,
} from './SoftwareAuthenticator.js';
export { encodeCbor } from './cbor.js';
export type { CborValue } from './cbor.js';
export { CHROMIUM_PATH, launchChromium, pageWithVirtualAuthenticator } from './chromium.js';
