import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';

/** One request the receiver got. */
export interface ReceivedWebhook {
  method: string;
  /** Path and query. */
  path: string;
  /** Lower-case names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  /** The raw body, as sent. */
  body: string;
  /** The TLS server name (SNI) the client asked for; undefined over plain http. */
  servername: string | undefined;
}

/** How the receiver answers one request. */
export interface ReceiverResponse {
  /** @default 204 */
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  /** Never answer (the sender's timeout must end the attempt). */
  hang?: boolean;
}

/** Options of {@link startWebhookReceiver}. */
export interface WebhookReceiverOptions {
  /** @default '127.0.0.1' */
  host?: string;
  /** @default 0 (a free port) */
  port?: number;
  /** Serve https with this key and certificate (PEM). */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** Answers for requests once the scripted ones (`reply`) have run out. @default { status: 204 } */
  respond?: (request: ReceivedWebhook) => ReceiverResponse;
}

/** A running local receiver. */
export interface WebhookReceiver {
  /** `http(s)://<host>:<port>`: append a path for the endpoint URL. */
  readonly origin: string;
  readonly port: number;
  /** Every request, in arrival order. */
  readonly deliveries: readonly ReceivedWebhook[];
  /** Scripts the answers to the next requests, in order. */
  reply(...responses: ReceiverResponse[]): void;
  /** Resolves once `count` requests have arrived (rejects after `timeoutMs`, default 5000). */
  waitFor(count: number, options?: { timeoutMs?: number }): Promise<ReceivedWebhook[]>;
  /** Stops listening and cuts every open connection (hanging requests included). */
  close(): Promise<void>;
}

/**
 * A webhook endpoint on loopback for tests: records each request (raw body and headers) and
 * answers as scripted — statuses, redirects, `Retry-After`, or no answer at all.
 *
 * @example
 * const receiver = await startWebhookReceiver();
 * receiver.reply({ status: 500 }, { status: 200 });
 * const endpoint = `${receiver.origin}/hooks`;
 * // … after a publish:
 * const [first, second] = await receiver.waitFor(2);
 * await receiver.close();
 */
export async function startWebhookReceiver({
  host = '127.0.0.1',
  port = 0,
  tls,
  respond = () => ({ status: 204 }),
}: WebhookReceiverOptions = {}): Promise<WebhookReceiver> {
  const deliveries: ReceivedWebhook[] = [];
  const script: ReceiverResponse[] = [];
  const sockets = new Set<Socket>();
  const waiters = new Set<() => void>();

  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const received: ReceivedWebhook = {
        method: request.method ?? '',
        path: request.url ?? '',
        headers: Object.fromEntries(
          Object.entries(request.headers).map(([name, value]) => [
            name,
            Array.isArray(value) ? value.join(', ') : (value ?? ''),
          ]),
        ),
        body: Buffer.concat(chunks).toString('utf8'),
        servername: (request.socket as Partial<TLSSocket>).servername || undefined,
      };
      deliveries.push(received);
      for (const wake of waiters) wake();
      const answer = script.shift() ?? respond(received);
      if (answer.hang === true) return;
      response.writeHead(answer.status ?? 204, answer.headers);
      response.end(answer.body);
    });
  };

  const server: Server =
    tls === undefined ? createHttpServer(handle) : createHttpsServer(tls, handle);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port }, () => resolve());
  });
  const address = server.address();
  const boundPort = typeof address === 'object' && address !== null ? address.port : port;
  const origin = `${tls === undefined ? 'http' : 'https'}://${host.includes(':') ? `[${host}]` : host}:${boundPort}`;

  return {
    origin,
    port: boundPort,
    deliveries,
    reply: (...responses) => {
      script.push(...responses);
    },
    waitFor: (count, { timeoutMs = 5_000 } = {}) =>
      new Promise((resolve, reject) => {
        const wake = (): void => {
          if (deliveries.length < count) return;
          waiters.delete(wake);
          clearTimeout(timer);
          resolve(deliveries.slice(0, count));
        };
        const timer = setTimeout(() => {
          waiters.delete(wake);
          reject(
            new Error(
              `the receiver got ${deliveries.length} of ${count} requests in ${timeoutMs} ms`,
            ),
          );
        }, timeoutMs);
        waiters.add(wake);
        wake();
      }),
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
