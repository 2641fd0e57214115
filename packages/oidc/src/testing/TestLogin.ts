/**
 * What the "user" does at the test IdP's login page, decided by the test instead of a person.
 *
 * @example const stale: TestLogin = { ...MFA_LOGIN, authAgeSeconds: 3_600 };
 * @see OpenID Connect Core 1.0 §2 (acr, amr, auth_time)
 */
export interface TestLogin {
  /** The account that signs in: the ID token's `sub`. @default 'alice' */
  accountId?: string;
  /** The `acr` the login reaches. The provider puts it in the ID token only when the RP asks for acr. */
  acr?: string;
  /**
   * The `amr` of the login (none when left out). In the ID token only when the RP asks for it
   * through `claims`, or when the IdP sends it unasked (`idTokenClaims` of startTestIdp).
   */
  amr?: string[];
  /**
   * The Microsoft Entra authentication contexts (`c1`…) this login meets, as Conditional Access
   * would. In the ID token's `acrs` claim when the RP asks for `acrs` through `claims` (all of
   * them, as Entra adds met contexts it was not asked for), or when the IdP sends it unasked; an
   * essential context the login does not meet ends with `unmet_authentication_requirements`.
   * Held per login, by the request's `nonce` (createSso always sends one).
   */
  acrs?: string[];
  /** How long ago the user authenticated, in seconds, to fake a stale `auth_time`. @default 0 */
  authAgeSeconds?: number;
  /** End the login with this OAuth error (e.g. 'access_denied') instead of signing in. */
  error?: string;
}

/**
 * A login with a second factor: a password and a one-time code.
 *
 * @example const idp = await startTestIdp({ login: MFA_LOGIN });
 * @see RFC 8176 §2 (pwd, otp)
 */
export const MFA_LOGIN: Readonly<TestLogin> = Object.freeze({
  acr: 'urn:test:mfa',
  amr: ['pwd', 'otp'],
});

/**
 * A login with a password only.
 *
 * @example const idp = await startTestIdp({ login: PASSWORD_LOGIN });
 * @see RFC 8176 §2 (pwd)
 */
export const PASSWORD_LOGIN: Readonly<TestLogin> = Object.freeze({
  acr: 'urn:test:pwd',
  amr: ['pwd'],
});
