/**
 * One tenant's enterprise IdP: where it is and how this app is registered there. Which of its
 * `acr`, `amr` or authentication context (`acrs`) values count as MFA is not said here but in the
 * tenant's `TenantPolicy.trustedIdps` (@checkpoint/policy), so that one place decides what an
 * IdP login is worth.
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
   * Use the OIDC `claims` request parameter (an essential `acr` or `acrs` on step-up, `auth_time`,
   * `amr`). Microsoft Entra takes it without advertising it: set `true` there.
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
