// Starts the HTTP bench's servers in a worker thread of this process, so the load generator
// (autocannon, the login loop) does not share their event loop.
import { Worker } from 'node:worker_threads';
import type { ServerData, ServerPorts, ToMain, ToServer } from './protocol.js';

/** The running servers, seen from the main thread. */
export interface Servers {
  ports: ServerPorts;
  /** The code the login app's channel delivered for a verification id (waits for it, 10 s at most). */
  code(id: string): Promise<string>;
  /** Empties the router's outbox (between rounds). */
  clearOutbox(): void;
  /** The server thread's event-loop busy time so far, in milliseconds. */
  busyMs(): Promise<number>;
  close(): Promise<void>;
}

const CODE_WAIT_MS = 10_000;

export async function startServers(data: ServerData): Promise<Servers> {
  const worker = spawn(data);
  const delivered = new Map<string, string>();
  const waiting = new Map<string, (code: string) => void>();
  let closed: (() => void) | undefined;
  // Answers to busy() arrive in the order asked.
  const busy: Array<(activeMs: number) => void> = [];

  const ports = await new Promise<ServerPorts>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`bench server thread exited (${code})`)));
    worker.on('message', (message: ToMain) => {
      if (message.type === 'ready') resolve(message.ports);
      if (message.type === 'closed') closed?.();
      if (message.type === 'busy') busy.shift()?.(message.activeMs);
      if (message.type === 'code') {
        const resolveCode = waiting.get(message.id);
        if (resolveCode === undefined) delivered.set(message.id, message.code);
        else {
          waiting.delete(message.id);
          resolveCode(message.code);
        }
      }
    });
  });
  worker.removeAllListeners('error');
  worker.removeAllListeners('exit');
  worker.on('error', (error) => process.stderr.write(`bench server thread: ${String(error)}\n`));

  const send = (message: ToServer): void => worker.postMessage(message);
  return {
    ports,
    code(id) {
      const code = delivered.get(id);
      if (code !== undefined) {
        delivered.delete(id);
        return Promise.resolve(code);
      }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(id);
          reject(new Error(`no code delivered for ${id}`));
        }, CODE_WAIT_MS);
        waiting.set(id, (value) => {
          clearTimeout(timer);
          resolve(value);
        });
      });
    },
    clearOutbox: () => send({ type: 'clear' }),
    busyMs() {
      return new Promise((resolve) => {
        busy.push(resolve);
        send({ type: 'busy' });
      });
    },
    async close() {
      const done = new Promise<void>((resolve) => {
        closed = resolve;
      });
      send({ type: 'close' });
      // Bounded: a server thread that does not answer in 10 s is terminated.
      const timeout = new Promise<'timeout'>((resolve) =>
        setTimeout(() => resolve('timeout'), 10_000).unref(),
      );
      await Promise.race([done, timeout]);
      await worker.terminate();
    },
  };
}

/**
 * Under tsx (`pnpm bench`) the thread must register tsx's loader itself: Node 20 does not pass
 * the main thread's module hooks on to workers. Compiled (`dist/`), it loads server.js as is.
 */
function spawn(data: ServerData): Worker {
  const compiled = import.meta.url.endsWith('.js');
  const entry = new URL(compiled ? './server.js' : './server.ts', import.meta.url).href;
  if (compiled) return new Worker(new URL(entry), { workerData: data });
  const tsx = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(code, { eval: true, workerData: data });
}
