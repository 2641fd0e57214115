import {
  generateAuthenticationOptions,
  type PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import { boundChallenge, keepChallenge } from '../challenge/challengeTickets.js';
import { guarded } from '../errors/refusal.js';
import { checkOptionalId, inputObject } from '../userInput.js';
import type { Settings } from '../WebAuthnOptions.js';

/**
 * Input of {@link WebAuthn.authenticationOptions}: a user to step up, or nothing for a passkey
 * login where the authenticator picks the account.
 *
 * @example const stepUp: AuthenticationOptionsInput = { userId: req.user.id, tenantId: 'acme' };
 * @see W3C WebAuthn Level 3 §5.5 (allowCredentials)
 */
export interface AuthenticationOptionsInput {
  /** The user being stepped up: only that user's usable credentials are offered. */
  userId?: string;
  tenantId?: string;
  /**
   * What this authentication approves (a step-up's action, as an opaque string of at most 256
   * characters): its SHA-256 becomes part of the challenge the authenticator signs, and
   * `verifyAuthentication` returns it as `bound`. An assertion made for one action never
   * approves another.
   */
  bind?: string;
}

/** @internal See {@link WebAuthn.authenticationOptions}. */
export async function authenticationOptions(
  settings: Settings,
  input: AuthenticationOptionsInput = {},
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const given = inputObject(input, 'authenticationOptions');
  const userId = checkOptionalId(given['userId'], 'userId');
  const tenantId = checkOptionalId(given['tenantId'], 'tenantId');
  const bind = checkOptionalId(given['bind'], 'bind');

  let allowCredentials: { id: string; transports: string[] }[] | undefined;
  if (userId !== undefined) {
    const held = await guarded('listing the user’s credentials', () =>
      settings.credentials.listByUser(userId),
    );
    allowCredentials = held
      .filter(
        (credential) =>
          credential.flagged === undefined &&
          (credential.tenantId === undefined || credential.tenantId === tenantId),
      )
      .map(({ id, transports }) => ({ id, transports }));
  }
  const options = await guarded('preparing the authentication options', () =>
    generateAuthenticationOptions({
      rpID: settings.rpID,
      timeout: settings.challengeTtlSeconds * 1_000,
      userVerification: settings.requireUserVerification ? 'required' : 'preferred',
      ...(allowCredentials === undefined ? {} : { allowCredentials }),
      ...(bind === undefined ? {} : { challenge: boundChallenge(bind) }),
    }),
  );
  await keepChallenge(settings, options.challenge, {
    kind: 'authentication',
    ...(userId === undefined ? {} : { userId }),
    ...(tenantId === undefined ? {} : { tenantId }),
    ...(bind === undefined ? {} : { bind }),
  });
  return options;
}
