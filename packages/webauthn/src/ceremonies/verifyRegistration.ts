import { CheckpointError } from '@checkpoint/core';
import { verifyRegistrationResponse } from '@simplewebauthn/server';
import { bindAtAal3 } from '../attestation/bindAtAal3.js';
import { judgeAttestation } from '../attestation/judgeAttestation.js';
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
  /**
   * The assurance the user's session holds now, freshly (`assuranceOf(…, { now, maxAgeSeconds })`
   * of @checkpoint/policy). At 3, a credential whose attestation proved it AAL3-capable is bound
   * at AAL3; below, only `approveAal3Enrolment` can bind it so, else it counts at AAL2.
   * @default 0
   */
  sessionAal?: 0 | 1 | 2 | 3;
}

/** @internal See {@link WebAuthn.verifyRegistration}. */
export async function verifyRegistration(
  settings: Settings,
  input: VerifyRegistrationInput,
): Promise<StoredCredential> {
  const given = inputObject(input, 'verifyRegistration');
  const userId = checkUserId(given['userId']);
  const tenantId = checkOptionalId(given['tenantId'], 'tenantId');
  const sessionAal = given['sessionAal'] ?? 0;
  if (![0, 1, 2, 3].includes(sessionAal as number)) {
    throw new CheckpointError('invalid_request', 'sessionAal must be 0, 1, 2 or 3 when given');
  }
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
  const judged = judgeAttestation(settings, {
    tenantId,
    format: parsed.format,
    x5c: parsed.x5c,
    aaguid: info.aaguid,
    deviceType: info.credentialDeviceType,
  });
  // A tenant's list of models holds only against a model the attestation proved.
  checkAaguid(settings, tenantId, judged.attested?.aaguid);

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
  if (judged.attested !== undefined) credential.attested = judged.attested;
  if (judged.aal3Capable && judged.attested !== undefined) {
    const binding = await bindAtAal3(settings, {
      userId,
      tenantId,
      attestation: judged.attested,
      sessionAal: sessionAal as 0 | 1 | 2 | 3,
    });
    if (binding !== undefined) credential.aal3 = binding;
  }
  const created = await guarded('storing the credential', () =>
    settings.credentials.create(credential),
  );
  if (!created) {
    throw refuse('webauthn:credential_exists', 'this credential is already registered');
  }
  return credential;
}
