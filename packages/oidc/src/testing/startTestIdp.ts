import { randomBytes } from 'node:crypto';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration } from 'oidc-provider';
import type { CookieJar } from './CookieJar.js';
import { idTokenSigner, patchIdTokens } from './idTokenSigner.js';
import { interactionRoute } from './interactionRoute.js';
import { loginThrough } from './loginThrough.js';
import { memoryAdapter } from './memoryAdapter.js';
import { PASSWORD_LOGIN, type TestLogin } from './TestLogin.js';

/**
 * Options of {@link startTestIdp}.
 *
 * @example const options: TestIdpOptions = { login: MFA_LOGIN, claimsParameter: false };
 */
export interface TestIdpOptions {
  /** Port on 127.0.0.1. @default a free port chosen by the system */
  port?: number;
  /** What a login does unless {@link TestIdp.loginThrough} says otherwise. @default PASSWORD_LOGIN */
  login?: TestLogin;
  /** `acr_values_supported`. @default ['urn:test:pwd', 'urn:test:mfa', 'phr', 'phrh'] */
  acrValues?: readonly string[];
  /** Support the OIDC `claims` request parameter (essential acr, amr, acrs). @default true */
  claimsParameter?: boolean;
  /**
   * Claims the IdP puts in every ID token, asked or not (when the login has them), as Okta and
   * Auth0 do with `amr` and Entra v1.0 tokens with `amr`. Others appear only when asked for.
   * @default []
   */
  idTokenClaims?: readonly ('acr' | 'amr' | 'auth_time' | 'acrs')[];
  /** The registered client. @default 'checkpoint-rp' */
  clientId?: string;
  /** @default random */
  clientSecret?: string;
  /** @default ['http://localhost:3000/sso/callback'] */
  redirectUris?: readonly string[];
  /** ID token lifetime. @default 3600 */
  idTokenTtlSeconds?: number;
}

/**
 * Per-login choices of {@link TestIdp.loginThrough}.
 *
 * @example await idp.loginThrough(url, { login: { acr: 'urn:test:pwd' }, idToken: { aud: 'someone-else' } });
 */
export interface LoginThroughOptions {
  /** Merged over the IdP's default login. */
  login?: TestLogin;
  /**
   * Claims to change in the ID token the IdP then issues for this login (an undefined value
   * removes the claim); the token is signed again with the IdP's key. Needs a `nonce` in the URL.
   */
  idToken?: Readonly<Record<string, unknown>>;
  /** The browser's cookies at the IdP, to reuse an IdP session across logins. @default a new jar */
  jar?: CookieJar;
}

/**
 * A running test IdP: panva's oidc-provider on loopback with one confidential client.
 *
 * @example
 * const idp = await startTestIdp({ login: MFA_LOGIN });
 * const callbackUrl = await idp.loginThrough(authorizationUrl);
 * await idp.close();
 */
export interface TestIdp {
  /** `http://127.0.0.1:PORT`, exactly as in the provider's metadata and ID tokens. */
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The first registered redirect URI. */
  readonly redirectUri: string;
  /**
   * Follows an authorization URL through the IdP like a browser (cookies, 303s), completing the
   * login as `options.login` says, and resolves with the URL the IdP sends the browser back to.
   */
  loginThrough(url: URL | string, options?: LoginThroughOptions): Promise<URL>;
  /** Stops the server and drops its connections. */
  close(): Promise<void>;
}

/**
 * Starts oidc-provider on 127.0.0.1 (node:http, no Express) with a test-only interaction route:
 * `GET /interaction/:uid` signs in with the IdP's default {@link TestLogin}, `POST` with a JSON
 * {@link TestLogin} body signs in as it says, and consent is granted for whatever is asked. An
 * essential `acr` (or Entra `acrs`) the login does not reach ends the request with
 * `unmet_authentication_requirements`, as OpenID Connect Core §5.5.1.1 requires. `idTokenClaims`
 * makes an IdP that sends `amr` (or `auth_time`, `acr`, `acrs`) unasked, as Okta and Auth0 do.
 *
 * @example
 * const idp = await startTestIdp({ login: MFA_LOGIN });
 * afterAll(() => idp.close());
 * @see OpenID Connect Core 1.0; panva/node-oidc-provider docs (interactions)
 */
export async function startTestIdp({
  port = 0,
  login: defaultLogin = PASSWORD_LOGIN,
  acrValues = ['urn:test:pwd', 'urn:test:mfa', 'phr', 'phrh'],
  claimsParameter = true,
  idTokenClaims = [],
  clientId = 'checkpoint-rp',
  clientSecret = randomBytes(24).toString('base64url'),
  redirectUris = ['http://localhost:3000/sso/callback'],
  idTokenTtlSeconds = 3_600,
}: TestIdpOptions = {}): Promise<TestIdp> {
  const [redirectUri] = redirectUris;
  if (redirectUri === undefined) throw new TypeError('startTestIdp needs at least one redirectUri');
  const signer = idTokenSigner();
  const patches = new Map<string, Readonly<Record<string, unknown>>>();
  // The authentication contexts each login met, by the nonce of its request (see TestLogin.acrs).
  const contexts = new Map<string, string[]>();

  let handle: RequestListener = (_req, res) => {
    res.statusCode = 503;
    res.end();
  };
  const server = createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const configuration: Configuration = {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [...redirectUris],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    jwks: { keys: [signer.jwk] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    acrValues: [...acrValues],
    claims: {
      openid: ['sub', ...idTokenClaims],
      acr: null,
      amr: null,
      auth_time: null,
      sid: null,
      acrs: null,
    },
    features: {
      devInteractions: { enabled: false },
      claimsParameter: { enabled: claimsParameter },
    },
    adapter: memoryAdapter(),
    // Every lifetime set, so the provider does not call (and warn about) its defaults.
    ttl: {
      AccessToken: 3_600,
      AuthorizationCode: 60,
      Grant: 86_400,
      IdToken: idTokenTtlSeconds,
      Interaction: 600,
      Session: 86_400,
    },
    findAccount: (_ctx, sub, token) => {
      const nonce = (token as { nonce?: unknown } | undefined)?.nonce;
      const acrs = typeof nonce === 'string' ? contexts.get(nonce) : undefined;
      return { accountId: sub, claims: () => ({ sub, ...(acrs === undefined ? {} : { acrs }) }) };
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    renderError: (ctx, out) => {
      ctx.type = 'json';
      ctx.body = out;
    },
  };
  const provider = new Provider(issuer, configuration);
  const providerHandler = provider.callback();

  const interact = interactionRoute(provider, defaultLogin, contexts);

  handle = (req, res) => {
    const path = new URL(req.url ?? '/', issuer).pathname;
    if (path.startsWith('/interaction/')) {
      interact(req, res).catch((error: unknown) => {
        res.statusCode = 500;
        res.end(`test IdP interaction failed: ${String(error)}`);
      });
      return;
    }
    if (path === '/token' && patches.size > 0) patchIdTokens(res, patches, signer);
    void providerHandler(req, res);
  };

  return {
    issuer,
    clientId,
    clientSecret,
    redirectUri,
    async loginThrough(url, { login, idToken, jar } = {}) {
      if (idToken !== undefined) {
        const nonce = new URL(url).searchParams.get('nonce');
        if (nonce === null) throw new TypeError('loginThrough needs a nonce in the URL to patch');
        patches.set(nonce, idToken);
      }
      return loginThrough(url, {
        redirectUris,
        ...(login === undefined ? {} : { login }),
        ...(jar === undefined ? {} : { jar }),
      });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
}
