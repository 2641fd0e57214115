import {
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
} from '@simplewebauthn/server';
import { keepChallenge } from '../challenge/challengeTickets.js';
import { guarded } from '../errors/refusal.js';
import { checkName, checkOptionalId, checkUserId, inputObject } from '../userInput.js';
import type { Settings } from '../WebAuthnOptions.js';

/**
 * Input of {@link WebAuthn.registrationOptions}.
 *
 * @example const input: RegistrationOptionsInput = { userId: 'u_42', userName: 'ada@acme.example' };
 * @see W3C WebAuthn Level 3 §5.4.3 (user entity)
 */
export interface RegistrationOptionsInput {
  /** The application's opaque user id (at most 64 bytes); it becomes the user handle. */
  userId: string;
  /** What the authenticator shows to tell accounts apart, e.g. the email address. */
  userName: string;
  /** @default userName */
  displayName?: string;
  tenantId?: string;
}

/** @internal See {@link WebAuthn.registrationOptions}. */
export async function registrationOptions(
  settings: Settings,
  input: RegistrationOptionsInput,
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const given = inputObject(input, 'registrationOptions');
  const userId = checkUserId(given['userId']);
  const userName = checkName(given['userName'], 'userName');
  const displayName =
    given['displayName'] === undefined ? userName : checkName(given['displayName'], 'displayName');
  const tenantId = checkOptionalId(given['tenantId'], 'tenantId');

  const existing = await guarded('listing the user’s credentials', () =>
    settings.credentials.listByUser(userId),
  );
  const options = await guarded('preparing the registration options', () =>
    generateRegistrationOptions({
      rpName: settings.rpName,
      rpID: settings.rpID,
      userName,
      userDisplayName: displayName,
      userID: new Uint8Array(Buffer.from(userId, 'utf8')),
      timeout: settings.challengeTtlSeconds * 1_000,
      // Attestation is asked for when something can check it (metadata, tenant-approved models).
      attestationType: settings.attestation,
      // The same authenticator is not registered twice, whichever tenant it was registered in.
      excludeCredentials: existing.map(({ id, transports }) => ({ id, transports })),
      authenticatorSelection: {
        residentKey: 'preferred',
        userVerification: settings.requireUserVerification ? 'required' : 'preferred',
      },
    }),
  );
  await keepChallenge(settings, options.challenge, {
    kind: 'registration',
    userId,
    ...(tenantId === undefined ? {} : { tenantId }),
  });
  return options;
}
