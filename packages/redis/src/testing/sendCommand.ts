import { createConnection } from 'node:net';

/**
 * Sends one command over a fresh TCP connection and resolves with its reply as a string.
 *
 * The harness probes servers with this instead of ioredis: it must see exactly one attempt with
 * its own deadline, without a client's reconnects, offline queue or RESP3 handshake. Handles the
 * RESP2 reply types a probe needs (simple string, error, integer, bulk string).
 *
 * @internal
 * @example await sendCommand({ port: 7001, args: ['CLUSTER', 'INFO'] })
 */
export function sendCommand({
  host = '127.0.0.1',
  port,
  args,
  timeoutMs = 1_000,
}: {
  host?: string;
  port: number;
  args: readonly string[];
  /** @default 1000 */
  timeoutMs?: number;
}): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = Buffer.alloc(0);
    let settled = false;
    const socket = createConnection({ host, port });
    const finish = (outcome: { value: string } | { error: Error }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if ('error' in outcome) reject(outcome.error);
      else resolve(outcome.value);
    };
    const timer = setTimeout(() => {
      finish({ error: new Error(`no reply from ${host}:${port} within ${timeoutMs} ms`) });
    }, timeoutMs);
    socket.on('error', (error) => finish({ error }));
    socket.on('close', () => finish({ error: new Error(`${host}:${port} closed the connection`) }));
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      const outcome = parseReply(buffer);
      if (outcome) finish(outcome);
    });
    socket.write(encodeCommand(args));
  });
}

function encodeCommand(args: readonly string[]): string {
  return `*${args.length}\r\n${args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join('')}`;
}

/** Parses the first reply in `buffer`, or returns undefined while it is incomplete. */
function parseReply(buffer: Buffer): { value: string } | { error: Error } | undefined {
  const lineEnd = buffer.indexOf('\r\n');
  if (lineEnd === -1) return undefined;
  const line = buffer.toString('utf8', 1, lineEnd);
  switch (String.fromCharCode(buffer[0] ?? 0)) {
    case '+':
    case ':':
      return { value: line };
    case '-':
      return { error: new Error(`redis replied with an error: ${line}`) };
    case '$': {
      const length = Number(line);
      if (length < 0) return { value: '' };
      const start = lineEnd + 2;
      if (buffer.length < start + length + 2) return undefined;
      return { value: buffer.toString('utf8', start, start + length) };
    }
    default:
      return { error: new Error(`unexpected reply: ${JSON.stringify(buffer.toString('utf8'))}`) };
  }
}
