import {
  allowInsecureRequests,
  ClientSecretBasic,
  ClientSecretPost,
  type ClientAuth,
  Configuration,
  type CustomFetch,
  clockSkew,
  customFetch,
  discovery,
  None,
  type ServerMetadata,
} from 'openid-client';
import type { IdpConfig } from './IdpConfig.js';
import { refuse } from './refusal.js';

/** @internal How {@link IdpDirectory} reaches IdPs. */
export interface DirectoryOptions {
  allowInsecureRequests: boolean;
  fetch: CustomFetch | undefined;
  timeoutSeconds: number;
}

/**
 * @internal IdP metadata, discovered once per issuer (a failed discovery is not kept, so the next
 * login tries again), and an openid-client Configuration per use. The Configuration is built for
 * each call because it carries the clock: openid-client's `exp`, `iat` and `auth_time` checks then
 * run on the injected `now`, like every other time decision here. It is cheap: openid-client
 * checks ID tokens from the token endpoint without fetching keys (OIDC Core §3.1.3.7 item 6).
 */
export class IdpDirectory {
  private readonly servers = new Map<string, Promise<ServerMetadata>>();

  constructor(private readonly options: DirectoryOptions) {}

  /** The IdP's metadata, whose `issuer` is exactly the configured one. */
  metadata(issuer: string): Promise<ServerMetadata> {
    let server = this.servers.get(issuer);
    if (server === undefined) {
      server = this.discover(issuer);
      this.servers.set(issuer, server);
      void server.catch(() => this.servers.delete(issuer));
    }
    return server;
  }

  /** A Configuration for `idp` whose clock is `now` (epoch milliseconds). */
  async configuration(idp: IdpConfig, now: number): Promise<Configuration> {
    const server = await this.metadata(idp.issuer);
    const skew = Math.round((now - Date.now()) / 1000);
    const config = new Configuration(
      server,
      idp.clientId,
      {
        ...(idp.clientSecret === undefined ? {} : { client_secret: idp.clientSecret }),
        [clockSkew]: skew,
      },
      clientAuth(idp),
    );
    this.prepare(config);
    return config;
  }

  private async discover(issuer: string): Promise<ServerMetadata> {
    let config: Configuration;
    try {
      // discovery() needs a client id; this Configuration is only read for its server metadata.
      config = await discovery(new URL(issuer), 'metadata-only', undefined, undefined, {
        ...(this.options.fetch === undefined ? {} : { [customFetch]: this.options.fetch }),
        ...(this.options.allowInsecureRequests ? { execute: [allowInsecureRequests] } : {}),
        timeout: this.options.timeoutSeconds,
      });
    } catch (error) {
      throw refuse('oidc:idp_unavailable', `could not discover ${issuer}`, error);
    }
    const server = config.serverMetadata();
    // openid-client compares normalised URLs; the ID token's iss is compared as a string.
    if (server.issuer !== issuer) {
      throw refuse(
        'oidc:idp_unavailable',
        `the IdP calls itself ${server.issuer}: configure the issuer exactly so`,
      );
    }
    return server;
  }

  private prepare(config: Configuration): void {
    // Tests against an http:// IdP only; never on by default (openid-client refuses plain HTTP).
    if (this.options.allowInsecureRequests) allowInsecureRequests(config);
    if (this.options.fetch !== undefined) config[customFetch] = this.options.fetch;
    config.timeout = this.options.timeoutSeconds;
  }
}

function clientAuth(idp: IdpConfig): ClientAuth {
  const method =
    idp.tokenEndpointAuthMethod ??
    (idp.clientSecret === undefined ? 'none' : 'client_secret_basic');
  switch (method) {
    case 'client_secret_basic':
      return ClientSecretBasic(idp.clientSecret);
    case 'client_secret_post':
      return ClientSecretPost(idp.clientSecret);
    case 'none':
      return None();
  }
}
