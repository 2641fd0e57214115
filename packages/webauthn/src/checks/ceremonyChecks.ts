import type { ParsedAuthenticatorData } from '@simplewebauthn/server/helpers';
import { refuse } from '../errors/refusal.js';
import type { ClientData } from '../response/parseClientData.js';
import type { Settings } from '../WebAuthnOptions.js';

/**
 * @internal
 * The client data checks, each with its own refusal reason. The library repeats some of them;
 * doing them first gives every refusal a stable reason instead of a message to parse, and covers
 * what the library leaves out: it accepts `crossOrigin: true` when the browser sends no
 * `topOrigin`, and never looks at `crossOrigin` during registration.
 *
 * @see W3C WebAuthn Level 3 §7.1 steps 7–9, §7.2 steps 11–13 (type, challenge, origin, topOrigin)
 */
export function checkClientData(
  settings: Settings,
  clientData: ClientData,
  expectedType: 'webauthn.create' | 'webauthn.get',
): void {
  if (clientData.type !== expectedType) {
    throw refuse('webauthn:type', `expected a ${expectedType} response, got ${clientData.type}`);
  }
  if (!settings.origins.includes(clientData.origin)) {
    throw refuse('webauthn:origin', 'the ceremony ran on an origin this site does not serve');
  }
  const { crossOrigin, topOrigin } = clientData;
  if (!crossOrigin) {
    if (topOrigin !== undefined) {
      throw refuse('webauthn:cross_origin', 'a same-origin response must not name a topOrigin');
    }
    return;
  }
  // An embedded ceremony is a frame another site controls: only the listed embedders, and only
  // when the browser says which one it was.
  if (topOrigin === undefined || !settings.topOrigins.includes(topOrigin)) {
    throw refuse(
      'webauthn:cross_origin',
      'the ceremony ran in a cross-origin frame that is not allowed to embed it',
    );
  }
}

/**
 * @internal
 * The authenticator data checks: the RP ID hash, user presence and, when required, user
 * verification. UV is read from the signed flags byte, never from anything the client states.
 *
 * @see W3C WebAuthn Level 3 §7.1 steps 13–15, §7.2 steps 15–17
 */
export function checkAuthenticatorData(
  settings: Settings,
  authData: ParsedAuthenticatorData,
): void {
  if (!settings.rpIdHash.equals(authData.rpIdHash)) {
    throw refuse('webauthn:rp_id', 'the authenticator signed for another relying party');
  }
  if (!authData.flags.up) {
    throw refuse('webauthn:user_presence', 'the authenticator did not report user presence');
  }
  if (settings.requireUserVerification && !authData.flags.uv) {
    throw refuse(
      'webauthn:user_verification',
      'the authenticator did not verify the user (PIN or biometric), which this site requires',
    );
  }
}

/**
 * @internal
 * Refuses an authenticator model the tenant does not list. `provenAaguid` is the model a
 * verified attestation proved (undefined when none did): the AAGUID an authenticator merely
 * claims never passes a list.
 */
export function checkAaguid(
  settings: Settings,
  tenantId: string | undefined,
  provenAaguid: string | undefined,
): void {
  const allowed = settings.aaguids(tenantId);
  if (allowed === undefined) return;
  const wanted = provenAaguid?.toLowerCase();
  if (wanted === undefined || !allowed.some((listed) => listed.toLowerCase() === wanted)) {
    throw refuse(
      'webauthn:aaguid',
      'this authenticator model is not accepted here, or did not prove its model (attestation)',
    );
  }
}
