import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { findFreePort } from './findFreePort.js';
import { onProcessExit, spawnWatchdog } from '@checkpoint/core/testing/processes';
import { sendCommand } from './sendCommand.js';

/** Options for {@link startRedisServer}. */
export interface RedisServerOptions {
  /**
   * Extra `redis-server` arguments, placed after the harness defaults so they override them
   * (`['--cluster-enabled', 'yes']`, `['--maxmemory', '10mb']`).
   * @default []
   */
  args?: readonly string[];
}

/** A private `redis-server` child process on a loopback port. Methods may be passed unbound. */
export interface RedisServerHandle {
  /** `redis://127.0.0.1:PORT` */
  readonly url: string;
  readonly host: string;
  /** Stays the same across {@link RedisServerHandle.restart}. */
  readonly port: number;
  /** The current process; a new one after {@link RedisServerHandle.restart}. */
  readonly pid: number;
  /** SIGTERM (resuming a paused server first), waits for the exit, removes the data directory. */
  stop(): Promise<void>;
  /** SIGSTOP: connections stay open and commands get no reply, like a hung server. */
  pause(): void;
  /** SIGCONT after {@link RedisServerHandle.pause}. */
  resume(): void;
  /** SIGKILL, like a crash, and waits for the exit. {@link RedisServerHandle.restart} brings it back. */
  kill(): Promise<void>;
  /** Starts a new process on the same port (killing the current one first) and waits for PING. */
  restart(): Promise<void>;
}

const HOST = '127.0.0.1';
const BOOT_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;
const FRESH_PORT_ATTEMPTS = 5;
const SAME_PORT_ATTEMPTS = 20;
const OUTPUT_TAIL_CHARS = 4_000;

interface Running {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly exited: Promise<void>;
  /** Settles after exit once stdout and stderr are drained too. */
  readonly closed: Promise<void>;
  readonly watchdog: ChildProcess | undefined;
  hasExited(): boolean;
  output(): string;
  /** Set when redis-server could not be run at all (not on PATH, say). */
  spawnError(): Error | undefined;
}

type Launch = { running: Running } | { addressInUse: true; message: string };

/**
 * Starts `redis-server` on a free loopback port with nothing persisted, and resolves once it
 * answers PING. The process is killed when the test process exits, however it ends.
 *
 * @example
 * const server = await startRedisServer();
 * const redis = new Redis(server.url);
 * // …
 * await server.stop();
 */
export async function startRedisServer({
  args = [],
}: RedisServerOptions = {}): Promise<RedisServerHandle> {
  const clusterBus = hasClusterEnabled(args);
  const dir = await mkdtemp(join(tmpdir(), 'checkpoint-redis-'));
  let lastMessage = '';
  try {
    // Another process may bind the port between findFreePort and redis-server: pick another.
    for (let attempt = 0; attempt < FRESH_PORT_ATTEMPTS; attempt += 1) {
      const port = await findFreePort({ host: HOST, clusterBus });
      const launch = await launchRedis(port, dir, args);
      if ('running' in launch) return createHandle(port, args, dir, launch.running);
      lastMessage = launch.message;
    }
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  await rm(dir, { recursive: true, force: true });
  throw new Error(
    `redis-server found no free port in ${FRESH_PORT_ATTEMPTS} tries:\n${lastMessage}`,
  );
}

function createHandle(
  port: number,
  args: readonly string[],
  initialDir: string,
  initial: Running,
): RedisServerHandle {
  let dir: string | undefined = initialDir;
  let running: Running | undefined = initial;
  let pid = initial.pid;
  let paused = false;
  const cleanupAtExit = (): void => {
    running?.child.kill('SIGKILL');
    running?.watchdog?.kill('SIGKILL');
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  };
  let forget: (() => void) | undefined = onProcessExit(cleanupAtExit);

  const current = (): Running => {
    if (running === undefined || running.hasExited()) {
      throw new Error(`redis-server on port ${port} is not running`);
    }
    return running;
  };

  const end = async (signal: 'SIGTERM' | 'SIGKILL'): Promise<void> => {
    const target = running;
    if (target === undefined) return;
    target.child.kill(signal);
    // A stopped process acts on SIGTERM only once continued.
    if (paused) target.child.kill('SIGCONT');
    paused = false;
    if (!(await waitForExit(target, STOP_TIMEOUT_MS))) {
      target.child.kill('SIGKILL');
      await waitForExit(target, STOP_TIMEOUT_MS);
    }
    running = undefined;
  };

  return {
    url: `redis://${HOST}:${port}`,
    host: HOST,
    port,
    get pid() {
      return pid;
    },
    stop: async () => {
      await end('SIGTERM');
      if (dir !== undefined) await rm(dir, { recursive: true, force: true });
      dir = undefined;
      forget?.();
      forget = undefined;
    },
    pause: () => {
      current().child.kill('SIGSTOP');
      paused = true;
    },
    resume: () => {
      current().child.kill('SIGCONT');
      paused = false;
    },
    kill: () => end('SIGKILL'),
    restart: async () => {
      await end('SIGKILL');
      dir ??= await mkdtemp(join(tmpdir(), 'checkpoint-redis-'));
      forget ??= onProcessExit(cleanupAtExit);
      let lastMessage = '';
      // The old process's port can be taken briefly by another test's probe: wait and retry.
      for (let attempt = 0; attempt < SAME_PORT_ATTEMPTS; attempt += 1) {
        const launch = await launchRedis(port, dir, args);
        if ('running' in launch) {
          running = launch.running;
          pid = launch.running.pid;
          return;
        }
        lastMessage = launch.message;
        await delay(250);
      }
      throw new Error(`redis-server could not bind port ${port} again:\n${lastMessage}`);
    },
  };
}

/** Spawns redis-server on `port` and waits for PING; reports a port race instead of throwing. */
async function launchRedis(port: number, dir: string, args: readonly string[]): Promise<Launch> {
  const running = spawnRedis(port, dir, args);
  const deadline = Date.now() + BOOT_TIMEOUT_MS;
  while (!running.hasExited()) {
    if (await isServedBy(port, running.pid)) return { running };
    if (Date.now() > deadline) {
      running.child.kill('SIGKILL');
      await waitForExit(running, STOP_TIMEOUT_MS);
      throw new Error(
        `redis-server on port ${port} did not answer PING within ${BOOT_TIMEOUT_MS} ms; its output:\n${running.output()}`,
      );
    }
    await delay(20);
  }
  // Give the pipes a moment to deliver the last lines for the error message.
  await Promise.race([running.closed, delay(500, undefined, { ref: false })]);
  const spawnError = running.spawnError();
  if (spawnError) {
    throw new Error(
      `could not run redis-server (${spawnError.message}); install Debian's redis-server package`,
      { cause: spawnError },
    );
  }
  const output = running.output();
  if (/address already in use/i.test(output)) return { addressInUse: true, message: output };
  throw new Error(
    `redis-server exited during startup (code ${String(running.child.exitCode)}, signal ${String(running.child.signalCode)}); its output:\n${output}`,
  );
}

/** True once the server on `port` is our process (not a neighbour that won a port race) and answers PING. */
async function isServedBy(port: number, pid: number): Promise<boolean> {
  try {
    const info = await sendCommand({ host: HOST, port, args: ['INFO', 'server'], timeoutMs: 500 });
    if (/^process_id:(\d+)\r?$/m.exec(info)?.[1] !== String(pid)) return false;
    return (await sendCommand({ host: HOST, port, args: ['PING'], timeoutMs: 500 })) === 'PONG';
  } catch {
    return false;
  }
}

function spawnRedis(port: number, dir: string, args: readonly string[]): Running {
  const child = spawn(
    'redis-server',
    [
      ...['--bind', HOST, '--port', String(port), '--dir', dir, '--daemonize', 'no'],
      ...['--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction'],
      ...['--logfile', '', '--loglevel', 'warning'],
      ...args,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  let exited = false;
  let spawnError: Error | undefined;
  const collect = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
  };
  // Keep draining the pipes for the server's whole life: a full pipe would block it.
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', collect);
    if (stream instanceof Socket) stream.unref();
  }
  const watchdog =
    child.pid === undefined
      ? undefined
      : spawnWatchdog(child.pid, dir, { name: 'checkpoint-redis-watchdog' });
  const exitedPromise = new Promise<void>((resolve) => {
    const onEnd = (): void => {
      exited = true;
      watchdog?.kill('SIGKILL');
      resolve();
    };
    child.once('exit', onEnd);
    child.once('error', (error) => {
      spawnError = error;
      onEnd();
    });
  });
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  // A server a test forgot to stop must not keep the test process alive (the exit hook kills it).
  child.unref();
  return {
    child,
    pid: child.pid ?? -1,
    exited: exitedPromise,
    closed,
    watchdog,
    hasExited: () => exited,
    output: () => output,
    spawnError: () => spawnError,
  };
}

async function waitForExit(running: Running, timeoutMs: number): Promise<boolean> {
  if (running.hasExited()) return true;
  running.child.ref();
  try {
    return await Promise.race([
      running.exited.then(() => true),
      delay(timeoutMs, false, { ref: false }),
    ]);
  } finally {
    running.child.unref();
  }
}

function hasClusterEnabled(args: readonly string[]): boolean {
  const index = args.lastIndexOf('--cluster-enabled');
  return index !== -1 && args[index + 1]?.toLowerCase() === 'yes';
}
