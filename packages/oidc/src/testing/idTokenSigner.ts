import {
  generateKeyPairSync,
  type JsonWebKey,
  type KeyObject,
  randomBytes,
  sign,
} from 'node:crypto';
import type { ServerResponse } from 'node:http';

/**
 * @internal The test IdP's signing key: handed to oidc-provider as its JWKS, and used to sign
 * again an ID token whose claims a test changed, so that it is still a well-formed token of that
 * IdP (the RP must refuse it for its claims, not for a broken signature).
 */
export interface IdTokenSigner {
  /** The private JWK, for oidc-provider's `jwks` option. */
  jwk: JsonWebKey & { kid: string; alg: 'RS256'; use: 'sig' };
  /** `token` with its payload changed by `patch` (an undefined value removes the claim). */
  patch(token: string, patch: Readonly<Record<string, unknown>>): string;
  /** The payload of a compact JWS, unverified. */
  claimsOf(token: string): Record<string, unknown>;
}

/** @internal A fresh RS256 key (the algorithm oidc-provider signs ID tokens with by default). */
export function idTokenSigner(): IdTokenSigner {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomBytes(8).toString('hex');
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' } as const;
  return {
    jwk,
    claimsOf,
    patch(token, patch) {
      const [header = ''] = token.split('.');
      const claims = claimsOf(token);
      for (const [name, value] of Object.entries(patch)) {
        if (value === undefined) delete claims[name];
        else claims[name] = value;
      }
      return signed(header, claims, privateKey);
    },
  };
}

function claimsOf(token: string): Record<string, unknown> {
  const [, payload = ''] = token.split('.');
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}

function signed(header: string, claims: Record<string, unknown>, key: KeyObject): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const signature = sign('sha256', Buffer.from(`${header}.${payload}`), key);
  return `${header}.${payload}.${signature.toString('base64url')}`;
}

/**
 * @internal Rewrites the ID token of the token response about to be sent on `res`, when a test
 * registered a patch for its nonce (each patch is used once).
 */
export function patchIdTokens(
  res: ServerResponse,
  patches: Map<string, Readonly<Record<string, unknown>>>,
  signer: IdTokenSigner,
): void {
  const end = res.end.bind(res) as (body: string) => ServerResponse;
  // Koa ends a JSON response with one end(body) call, headers not yet sent.
  res.end = ((body: unknown) => {
    if (typeof body !== 'string') return end(body as string);
    const json = JSON.parse(body) as { id_token?: string };
    const nonce = json.id_token === undefined ? undefined : signer.claimsOf(json.id_token).nonce;
    const patch = typeof nonce === 'string' ? patches.get(nonce) : undefined;
    if (json.id_token === undefined || patch === undefined) return end(body);
    patches.delete(nonce as string);
    const patched = JSON.stringify({ ...json, id_token: signer.patch(json.id_token, patch) });
    res.setHeader('content-length', Buffer.byteLength(patched));
    return end(patched);
  }) as typeof res.end;
}
