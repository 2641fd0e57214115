import type { AttestationFormat, AttestationSigner } from './attestationStatement.js';

/**
 * How a `SoftwareAuthenticator` and the "browser" around it behave by default.
 *
 * @example new SoftwareAuthenticator({ origin: 'https://app.example', backupEligible: true, backupState: true });
 * @see W3C WebAuthn Level 3 §6.1 (authenticator data flags)
 */
export interface SoftwareAuthenticatorOptions {
  /** The origin the browser reports in clientDataJSON. */
  origin: string;
  /** AAGUID, a UUID. @default '5c7b7e9a-2b85-464e-9ea3-529582bb7e34' (a made-up model) */
  aaguid?: string;
  /** UV flag: the authenticator verified the user. @default true */
  userVerified?: boolean;
  /** BE flag: the credential may be synced (a synced passkey: `multiDevice`). @default false */
  backupEligible?: boolean;
  /** BS flag: the credential is backed up now. @default false */
  backupState?: boolean;
  /** Transports reported at registration. @default ['internal'] */
  transports?: string[];
  /**
   * Its attestation key and certificates: with one, it answers options that ask for attestation
   * (`direct`, `enterprise`) with a signed statement (`packed` unless the signer says
   * `fido-u2f`), as a security key does; without one, or when the options ask for `none`, with
   * `none`, as browsers do.
   */
  attestation?: AttestationSigner;
}

/**
 * Per-ceremony overrides: what a misbehaving browser, a phishing page or a cloned key would send.
 *
 * @example authenticator.authenticate(options, { origin: 'https://evil.example' });
 * @see W3C WebAuthn Level 3 §5.8.1 (client data)
 */
export interface CeremonyOverrides {
  origin?: string;
  /** Signs for this RP ID instead of the one in the options. */
  rpId?: string;
  crossOrigin?: boolean;
  topOrigin?: string;
  /** clientDataJSON `type`, e.g. 'webauthn.create' inside an authentication. */
  type?: string;
  /** Answers this challenge instead of the one in the options. */
  challenge?: string;
  userVerified?: boolean;
  userPresent?: boolean;
  backupEligible?: boolean;
  backupState?: boolean;
  /** The attestation to send at registration, whatever the options asked for. */
  attestation?: AttestationFormat;
}

/**
 * Overrides of `SoftwareAuthenticator.authenticate`.
 *
 * @example authenticator.authenticate(options, { counter: 5 });
 * @see W3C WebAuthn Level 3 §6.1.1 (signature counter)
 */
export interface AssertionOverrides extends CeremonyOverrides {
  /** Signature counter to report (and keep). @default the previous value + 1 */
  counter?: number;
  /** Which of this authenticator's credentials to use. @default the first one the options allow */
  credentialId?: string;
  /** The user handle to return; null to return none. @default the one given at registration */
  userHandle?: string | null;
  /** Flip a bit of the signature. @default false */
  badSignature?: boolean;
}
