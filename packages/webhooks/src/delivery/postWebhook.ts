import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { ResolvedEndpoint } from './resolveEndpoint.js';

/** @internal What one POST came to: the status (and Retry-After) or the network error. */
export type PostResult =
  | { ok: true; status: number; retryAfter: string | undefined }
  | { ok: false; error: string };

/** @internal Options of {@link postWebhook}. */
export interface PostWebhookOptions {
  endpoint: ResolvedEndpoint;
  headers: Record<string, string>;
  body: string;
  /** The whole exchange (connect, TLS, response headers) must finish within this. */
  timeoutMs: number;
  /** Extra trusted CA certificates (PEM) for https endpoints. */
  ca: string | Buffer | ReadonlyArray<string | Buffer> | undefined;
}

/**
 * @internal
 * One POST with node:http(s) to the already checked address: no DNS lookup happens here, the
 * `Host` header and the TLS server name carry the URL's hostname, redirects are never followed
 * (node:http does not follow them), nothing is pooled. Resolves once the status is known; the
 * response body is drained and ignored. Never rejects.
 */
export function postWebhook({
  endpoint,
  headers,
  body,
  timeoutMs,
  ca,
}: PostWebhookOptions): Promise<PostResult> {
  const { url, address, family, servername } = endpoint;
  const bytes = Buffer.from(body, 'utf8');
  const secure = url.protocol === 'https:';
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: PostResult): void => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    const options = {
      host: address,
      family,
      port: url.port === '' ? (secure ? 443 : 80) : Number(url.port),
      path: `${url.pathname}${url.search}`,
      method: 'POST',
      agent: false as const,
      headers: {
        ...headers,
        host: url.host,
        'content-type': 'application/json',
        'content-length': String(bytes.length),
      },
    };
    const request = secure
      ? httpsRequest({
          ...options,
          ...(servername === undefined ? {} : { servername }),
          ...(ca === undefined ? {} : { ca: ca as string | Buffer | Array<string | Buffer> }),
        })
      : httpRequest(options);
    // Also bounds reading the body away after the status: a response that never ends is cut.
    const timer = setTimeout(() => {
      finish({ ok: false, error: `no response within ${timeoutMs} ms` });
      request.destroy();
    }, timeoutMs);
    request.on('close', () => clearTimeout(timer));
    request.on('response', (response) => {
      const retryAfter = response.headers['retry-after'];
      finish({ ok: true, status: response.statusCode ?? 0, retryAfter });
      // Nothing in the body matters; read it away and let the connection close.
      response.on('error', () => {});
      response.resume();
      response.on('end', () => request.destroy());
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      finish({
        ok: false,
        error: error.code === undefined ? error.message : `${error.code}: ${error.message}`,
      });
    });
    request.end(bytes);
  });
}
