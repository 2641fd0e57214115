import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import {
  type AuthenticationOptionsInput,
  authenticationOptions,
} from './ceremonies/authenticationOptions.js';
import {
  type RegistrationOptionsInput,
  registrationOptions,
} from './ceremonies/registrationOptions.js';
import {
  type AuthenticationResult,
  type VerifyAuthenticationInput,
  verifyAuthentication,
} from './ceremonies/verifyAuthentication.js';
import {
  type VerifyRegistrationInput,
  verifyRegistration,
} from './ceremonies/verifyRegistration.js';
import type { StoredCredential } from './credentials/StoredCredential.js';
import { resolveOptions, type WebAuthnOptions } from './WebAuthnOptions.js';

/**
 * The two passkey ceremonies, each an options call (JSON for @simplewebauthn/browser) and a
 * verify call. Refusals are `CheckpointError('authentication_failed')` with one
 * `webauthn:…` reason; a body that is not a WebAuthn response is `invalid_request`; a Store or
 * repository failure is `store_unavailable`.
 *
 * @example
 * const options = await webauthn.authenticationOptions({ userId: 'u_42' });
 * // browser: const response = await startAuthentication({ optionsJSON: options });
 * const { factor } = await webauthn.verifyAuthentication({ userId: 'u_42', response });
 * @see W3C WebAuthn Level 3 §7
 */
export interface WebAuthn {
  /** The relying party id the ceremonies are bound to. */
  readonly rpID: string;
  /**
   * Options for `navigator.credentials.create()`: a fresh single-use challenge, the user's
   * existing credentials excluded, user verification required unless configured otherwise.
   *
   * @example res.json(await webauthn.registrationOptions({ userId: user.id, userName: user.email }));
   */
  registrationOptions(
    input: RegistrationOptionsInput,
  ): Promise<PublicKeyCredentialCreationOptionsJSON>;
  /**
   * Verifies a registration response, consumes its challenge (which must have been issued to
   * this user and tenant), judges its attestation, and stores the new credential with what the
   * attestation proved (`attested`) and, when bound at AAL3 (`sessionAal` 3 or
   * `approveAal3Enrolment`), how (`aal3`).
   *
   * @example const credential = await webauthn.verifyRegistration({ userId: user.id, response: req.body, sessionAal });
   * @see NIST SP 800-63B rev 4 §2.3, §4.1
   */
  verifyRegistration(input: VerifyRegistrationInput): Promise<StoredCredential>;
  /**
   * Options for `navigator.credentials.get()`. With `userId`: that user's unflagged credentials
   * as `allowCredentials` (a step-up). Without: a discoverable-credential (passkey) login.
   *
   * @example res.json(await webauthn.authenticationOptions({ userId: req.user.id }));
   */
  authenticationOptions(
    input?: AuthenticationOptionsInput,
  ): Promise<PublicKeyCredentialRequestOptionsJSON>;
  /**
   * Verifies an assertion: consumes the challenge atomically, checks the credential belongs to
   * the user, the origin, RP ID, type, cross-origin embedding, flags, signature and counter, then
   * stores the new counter and returns the policy factor.
   *
   * @example const { factor } = await webauthn.verifyAuthentication({ userId: req.user.id, response: req.body });
   */
  verifyAuthentication(input: VerifyAuthenticationInput): Promise<AuthenticationResult>;
}

/**
 * Creates the passkey ceremonies for one relying party, on @simplewebauthn/server. Challenges are
 * single-use tickets in the Checkpoint Store, so any process sharing the Store can finish a
 * ceremony another one started, and a response is accepted at most once.
 *
 * @example
 * const webauthn = createWebAuthn({
 *   rpID: 'console.acme.example',
 *   rpName: 'Acme Console',
 *   origins: ['https://console.acme.example'],
 *   store: new MemoryStore(),
 *   credentials: new MemoryCredentialRepository(),
 * });
 * @see W3C WebAuthn Level 3; NIST SP 800-63B rev 4 §3.1.7 (multi-factor cryptographic authenticators)
 */
export function createWebAuthn(options: WebAuthnOptions): WebAuthn {
  const settings = resolveOptions(options);
  return {
    rpID: settings.rpID,
    registrationOptions: (input) => registrationOptions(settings, input),
    verifyRegistration: (input) => verifyRegistration(settings, input),
    authenticationOptions: (input) => authenticationOptions(settings, input),
    verifyAuthentication: (input) => verifyAuthentication(settings, input),
  };
}
