/**
 * One tenant's enterprise IdP: where it is and how this app is registered there. Which of its
 * `acr` values count as MFA is not said here but in the tenant's `TenantPolicy.trustedIdps`
 * (@checkpoint/policy), so that one place decides what an IdP login is worth.
 *
 * @example const idp: IdpConfig = { issuer: 'https://login.acme.example', clientId: 'checkpoint', clientSecret };
 * @see OpenID Connect Discovery 1.0 §4.3 (issuer must match exactly); OWASP ASVS 5 V10.5.3
 */
export interface IdpConfig {
  /**
   * The IdP's issuer identifier, spelt exactly as in its metadata and ID tokens (no trailing
   * slash the IdP does not write, no query, no fragment).
   */
  issuer: string;
  clientId: string;
  /** Omit for a public client (PKCE alone). */
  clientSecret?: string;
  /**
   * How the client authenticates at the token endpoint.
   * @default 'client_secret_basic' with a clientSecret (the OIDC registration default), else 'none'
   */
  tokenEndpointAuthMethod?: 'client_secret_basic' | 'client_secret_post' | 'none';
  /** Scopes to ask for; `openid` is added when missing. @default 'openid' */
  scope?: string;
  /**
   * Use the OIDC `claims` request parameter (an essential `acr` on step-up, `auth_time`, `amr`).
   * @default the IdP's `claims_parameter_supported`
   */
  claimsParameter?: boolean;
}

/**
 * Where {@link createSso} finds a tenant's IdP: a record by tenant id, or a function (e.g. reading
 * tenant settings), which may be async. `undefined` means the tenant has no SSO.
 *
 * @example const idps: IdpSource = (tenantId) => tenants.get(tenantId)?.sso;
 */
export type IdpSource =
  | Readonly<Record<string, IdpConfig>>
  | ((tenantId: string) => IdpConfig | undefined | Promise<IdpConfig | undefined>);

/**
 * What a step-up at the IdP demands: any one of `acrValues` (in order of preference) and a login
 * at most `maxAge` seconds old. Both are checked on the way back, whatever the IdP does.
 *
 * @example const stepUp: StepUp = { acrValues: ['urn:acme:mfa'], maxAge: 300 };
 * @see RFC 9470 §3–§4; OpenID Connect Core 1.0 §3.1.2.1 (acr_values, max_age)
 */
export interface StepUp {
  /** Acceptable `acr` values; the returned `acr` must be one of them. */
  acrValues?: readonly string[];
  /** Seconds; the returned `auth_time` must be present and at most this old. 0 forces a new login. */
  maxAge?: number;
}

/** @internal Checks an IdpConfig from configuration; a TypeError that says what to pass. */
export function checkIdpConfig(idp: unknown, tenantId: string): IdpConfig {
  const what = `the IdP of tenant ${JSON.stringify(tenantId)}`;
  if (typeof idp !== 'object' || idp === null) {
    throw new TypeError(`${what} must be { issuer, clientId, clientSecret? }`);
  }
  const { issuer, clientId, clientSecret, tokenEndpointAuthMethod, scope, claimsParameter } =
    idp as Record<string, unknown>;
  if (typeof issuer !== 'string' || !isIssuer(issuer)) {
    throw new TypeError(
      `${what} needs issuer: an http(s) URL without query or fragment, exactly as the IdP's metadata spells it`,
    );
  }
  if (typeof clientId !== 'string' || clientId === '') {
    throw new TypeError(`${what} needs clientId, the client id registered at the IdP`);
  }
  if (clientSecret !== undefined && (typeof clientSecret !== 'string' || clientSecret === '')) {
    throw new TypeError(`${what} has a clientSecret that is not a non-empty string`);
  }
  const methods = ['client_secret_basic', 'client_secret_post', 'none'];
  if (
    tokenEndpointAuthMethod !== undefined &&
    !methods.includes(tokenEndpointAuthMethod as string)
  ) {
    throw new TypeError(`${what} needs tokenEndpointAuthMethod to be one of ${methods.join(', ')}`);
  }
  if (
    tokenEndpointAuthMethod !== undefined &&
    tokenEndpointAuthMethod !== 'none' &&
    !clientSecret
  ) {
    throw new TypeError(
      `${what} uses ${tokenEndpointAuthMethod as string} and needs a clientSecret`,
    );
  }
  if (scope !== undefined && typeof scope !== 'string') {
    throw new TypeError(
      `${what} needs scope to be a space-separated string such as 'openid email'`,
    );
  }
  if (claimsParameter !== undefined && typeof claimsParameter !== 'boolean') {
    throw new TypeError(`${what} needs claimsParameter to be true or false`);
  }
  return idp as IdpConfig;
}

/** @internal Checks a StepUp given to start() or to the passport helpers. */
export function checkStepUp(stepUp: unknown): StepUp | undefined {
  if (stepUp === undefined) return undefined;
  if (typeof stepUp !== 'object' || stepUp === null) {
    throw new TypeError('stepUp must be { acrValues?: string[], maxAge?: seconds }');
  }
  const { acrValues, maxAge } = stepUp as Record<string, unknown>;
  if (
    acrValues !== undefined &&
    !(
      Array.isArray(acrValues) &&
      acrValues.every((v) => typeof v === 'string' && v !== '' && !/\s/.test(v))
    )
  ) {
    throw new TypeError('stepUp.acrValues must be an array of acr values (strings without spaces)');
  }
  if (maxAge !== undefined && !(Number.isInteger(maxAge) && (maxAge as number) >= 0)) {
    throw new TypeError('stepUp.maxAge must be a whole number of seconds, 0 or more');
  }
  return stepUp;
}

function isIssuer(value: string): boolean {
  try {
    const url = new URL(value);
    return (
      (url.protocol === 'https:' || url.protocol === 'http:') &&
      !url.search &&
      !url.hash &&
      !value.includes('#') &&
      !value.includes('?')
    );
  } catch {
    return false;
  }
}
