import { type Factor, factor } from '@checkpoint/policy';
import { verifyAuthenticationResponse } from '@simplewebauthn/server';
import { aal3Standing } from '../attestation/aal3Standing.js';
import { challengeCarries, takeChallenge } from '../challenge/challengeTickets.js';
import { checkAaguid, checkAuthenticatorData, checkClientData } from '../checks/ceremonyChecks.js';
import type { StoredCredential } from '../credentials/StoredCredential.js';
import { guarded, refuse } from '../errors/refusal.js';
import { parseAssertion } from '../response/parseResponse.js';
import { checkOptionalId, inputObject, userHandleOf } from '../userInput.js';
import type { Settings } from '../WebAuthnOptions.js';

/**
 * Input of {@link WebAuthn.verifyAuthentication}.
 *
 * @example const input: VerifyAuthenticationInput = { userId: req.user.id, tenantId: 'acme', response: req.body };
 * @see W3C WebAuthn Level 3 §7.2
 */
export interface VerifyAuthenticationInput {
  /**
   * The user being stepped up: a credential of anyone else is refused, even with a valid
   * signature. Leave it out for a passkey login; the result then says whose credential it was.
   */
  userId?: string;
  tenantId?: string;
  /** What `startAuthentication()` of @simplewebauthn/browser returned, as received; checked here. */
  response: unknown;
}

/**
 * What an accepted assertion proves: whose credential it was, the credential as now stored, and
 * the policy factor to add to the session's AuthState.
 *
 * @example state = addFactor(state, result.factor);
 * @see NIST SP 800-63B rev 4 §2.2, §2.3 (AAL2, AAL3)
 */
export interface AuthenticationResult {
  userId: string;
  credential: StoredCredential;
  /**
   * `factor('webauthn', { at, userVerified, deviceBound, source: credential.id })`: AAL3 only
   * with user verification on a credential bound at AAL3 on a verified hardware attestation;
   * AAL2 for any other passkey (synced, or unattested).
   */
  factor: Factor;
  /** The `bind` of the authentication options this assertion answers, when they had one. */
  bound?: string;
}

/** @internal See {@link WebAuthn.verifyAuthentication}. */
export async function verifyAuthentication(
  settings: Settings,
  input: VerifyAuthenticationInput,
): Promise<AuthenticationResult> {
  const given = inputObject(input, 'verifyAuthentication');
  const userId = checkOptionalId(given['userId'], 'userId');
  const tenantId = checkOptionalId(given['tenantId'], 'tenantId');
  const parsed = parseAssertion(given['response']);
  const { challenge } = parsed.clientData;

  // Taken before any other check: whatever the outcome, this challenge is spent.
  const binding = await takeChallenge(settings, 'authentication', challenge);
  if (
    binding === null ||
    binding.tenantId !== tenantId ||
    (binding.userId !== undefined && userId !== undefined && binding.userId !== userId)
  ) {
    throw refuse(
      'webauthn:challenge',
      'the challenge is unknown, expired, already used, or was issued to someone else',
    );
  }
  if (binding.bind !== undefined && !challengeCarries(challenge, binding.bind)) {
    throw refuse('webauthn:challenge', 'the challenge does not carry what it was issued for');
  }
  const expectedUserId = userId ?? binding.userId;
  checkClientData(settings, parsed.clientData, 'webauthn.get');
  checkAuthenticatorData(settings, parsed.authData);

  const stored = await guarded('reading the credential', () =>
    settings.credentials.findById(parsed.response.id),
  );
  if (stored === null) {
    throw refuse('webauthn:credential_unknown', 'this credential is not registered');
  }
  checkOwner(stored, expectedUserId, tenantId, parsed.userHandle);
  if (stored.flagged !== undefined) {
    throw refuse('webauthn:credential_flagged', 'this credential is blocked; register a new one');
  }
  checkAaguid(settings, tenantId, stored.attested?.aaguid);

  let verification: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
  try {
    verification = await verifyAuthenticationResponse({
      response: parsed.response,
      expectedChallenge: challenge,
      expectedOrigin: [...settings.origins],
      expectedRPID: settings.rpID,
      expectedType: 'webauthn.get',
      ...(settings.topOrigins.length > 0 ? { expectedTopOrigin: [...settings.topOrigins] } : {}),
      // Counter 0 turns the library's counter check off: it runs before the signature check, and
      // an unsigned counter must not be able to flag someone's credential. Ours follows below.
      credential: { id: stored.id, publicKey: Uint8Array.from(stored.publicKey), counter: 0 },
      requireUserVerification: settings.requireUserVerification,
    });
  } catch (error) {
    throw refuse('webauthn:verification', 'the authentication response did not verify', error);
  }
  if (!verification.verified) {
    throw refuse('webauthn:signature', 'the assertion signature is not valid');
  }

  const at = settings.now();
  const counter = parsed.authData.counter;
  // A signed counter that did not move forward: two authenticators hold this key (a clone).
  // Counters that stay 0 are normal for passkeys (WebAuthn L3 §6.1.1).
  if ((counter > 0 || stored.counter > 0) && counter <= stored.counter) {
    await guarded('flagging the credential', () =>
      settings.credentials.flag(stored.id, { reason: 'counter', at }),
    );
    throw refuse(
      'webauthn:counter',
      'the signature counter went backwards; the credential is now blocked',
    );
  }
  const { userVerified, credentialDeviceType, credentialBackedUp } =
    verification.authenticationInfo;
  await guarded('updating the credential counter', () =>
    settings.credentials.updateCounter({
      id: stored.id,
      counter,
      backedUp: credentialBackedUp,
      usedAt: at,
    }),
  );
  const credential: StoredCredential = {
    ...stored,
    counter,
    backedUp: credentialBackedUp,
    lastUsedAt: at,
  };
  return {
    userId: stored.userId,
    credential,
    factor: factor('webauthn', {
      at,
      // From the signed flags byte of this assertion, never from anything the client states.
      userVerified,
      // A key the authenticator says cannot leave it counts as such only when a verified
      // attestation proved a hardware model and the credential was bound at AAL3, and that
      // trust still holds. BE is fixed for a credential's life: both records must agree.
      deviceBound:
        stored.deviceType === 'singleDevice' &&
        credentialDeviceType === 'singleDevice' &&
        aal3Standing(settings, stored),
      source: stored.id,
    }),
    ...(binding.bind === undefined ? {} : { bound: binding.bind }),
  };
}

function checkOwner(
  credential: StoredCredential,
  userId: string | undefined,
  tenantId: string | undefined,
  userHandle: string | undefined,
): void {
  const owned =
    (userId === undefined || credential.userId === userId) &&
    (credential.tenantId === undefined || credential.tenantId === tenantId) &&
    (userHandle === undefined || userHandle === userHandleOf(credential.userId));
  if (!owned) {
    throw refuse(
      'webauthn:credential_owner',
      'this credential belongs to another account than the one being authenticated',
    );
  }
}
