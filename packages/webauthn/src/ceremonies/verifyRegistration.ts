import { verifyRegistrationResponse } from '@simplewebauthn/server';
import { takeChallenge } from '../challenge/challengeTickets.js';
import { checkAaguid, checkAuthenticatorData, checkClientData } from '../checks/ceremonyChecks.js';
import type { StoredCredential } from '../credentials/StoredCredential.js';
import { guarded, refuse } from '../errors/refusal.js';
import { parseAttestation } from '../response/parseResponse.js';
import { checkOptionalId, checkUserId, inputObject } from '../userInput.js';
import type { Settings } from '../WebAuthnOptions.js';

/**
 * Input of {@link WebAuthn.verifyRegistration}.
 *
 * @example const input: VerifyRegistrationInput = { userId: req.user.id, response: req.body };
 * @see W3C WebAuthn Level 3 §7.1
 */
export interface VerifyRegistrationInput {
  /** The signed-in user the options were issued to. */
  userId: string;
  tenantId?: string;
  /** What `startRegistration()` of @simplewebauthn/browser returned, as received; checked here. */
  response: unknown;
}

/** @internal See {@link WebAuthn.verifyRegistration}. */
export async function verifyRegistration(
  settings: Settings,
  input: VerifyRegistrationInput,
): Promise<StoredCredential> {
  const given = inputObject(input, 'verifyRegistration');
  const userId = checkUserId(given['userId']);
  const tenantId = checkOptionalId(given['tenantId'], 'tenantId');
  const parsed = parseAttestation(given['response']);
  const { challenge } = parsed.clientData;

  const binding = await takeChallenge(settings, 'registration', challenge);
  if (binding === null || binding.userId !== userId || binding.tenantId !== tenantId) {
    throw refuse(
      'webauthn:challenge',
      'the challenge is unknown, expired, already used, or was issued to someone else',
    );
  }
  checkClientData(settings, parsed.clientData, 'webauthn.create');
  checkAuthenticatorData(settings, parsed.authData);

  let verification: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    verification = await verifyRegistrationResponse({
      response: parsed.response,
      expectedChallenge: challenge,
      expectedOrigin: [...settings.origins],
      expectedRPID: settings.rpID,
      expectedType: 'webauthn.create',
      requireUserVerification: settings.requireUserVerification,
    });
  } catch (error) {
    throw refuse('webauthn:verification', 'the registration response did not verify', error);
  }
  const { verified, registrationInfo: info } = verification;
  if (!verified || info === undefined) {
    throw refuse('webauthn:attestation', 'the attestation statement did not verify');
  }
  checkAaguid(settings, tenantId, info.aaguid);

  const credential: StoredCredential = {
    id: info.credential.id,
    userId,
    publicKey: Uint8Array.from(info.credential.publicKey),
    counter: info.credential.counter,
    transports: [...(info.credential.transports ?? [])],
    deviceType: info.credentialDeviceType,
    backedUp: info.credentialBackedUp,
    aaguid: info.aaguid,
    createdAt: settings.now(),
  };
  if (tenantId !== undefined) credential.tenantId = tenantId;
  const created = await guarded('storing the credential', () =>
    settings.credentials.create(credential),
  );
  if (!created) {
    throw refuse('webauthn:credential_exists', 'this credential is already registered');
  }
  return credential;
}
