import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request a fake provider received, as it arrived. */
export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The raw body bytes. */
  body: Buffer;
}

/** How a fake answers one request. */
export interface HttpReply {
  status: number;
  headers?: Readonly<Record<string, string>>;
  /** A string is sent as is; anything else as JSON. */
  body?: unknown;
}

/** `'hang'`: never answer (the connection is closed when the server stops). */
export type HttpHandler = (
  request: RecordedRequest,
) => HttpReply | 'hang' | Promise<HttpReply | 'hang'>;

/** @internal A loopback HTTP server that records requests and answers through a handler. */
export interface LoopbackServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly requests: RecordedRequest[];
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 1_048_576;

/**
 * @internal
 * Starts a node:http server on 127.0.0.1 and a free port. Stopping it closes every connection,
 * requests left hanging included.
 */
export async function startHttpServer(handler: HttpHandler): Promise<LoopbackServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        res.writeHead(413).end();
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const request: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      requests.push(request);
      void Promise.resolve()
        .then(() => handler(request))
        .catch((error: unknown) => ({ status: 500, body: { error: String(error) } }))
        .then((reply) => answer(res, reply));
    });
  });

  function answer(res: ServerResponse, reply: HttpReply | 'hang'): void {
    if (reply === 'hang') return;
    const isText = typeof reply.body === 'string';
    const payload =
      reply.body === undefined ? '' : isText ? (reply.body as string) : JSON.stringify(reply.body);
    res.writeHead(reply.status, {
      ...(reply.body === undefined
        ? {}
        : { 'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json' }),
      ...reply.headers,
    });
    res.end(payload);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
}
