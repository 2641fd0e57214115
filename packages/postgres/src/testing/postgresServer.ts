import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';
import { findFreePort } from './findFreePort.js';
import { onProcessExit, spawnWatchdog } from '@checkpoint/core/testing/processes';

/** A private PostgreSQL cluster (initdb + postgres) in a temporary directory, on a loopback port. */
export interface PostgresServerHandle {
  /** `postgres://postgres@127.0.0.1:PORT/postgres` (trust authentication, loopback only). */
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** Fast shutdown (SIGINT), waits for the exit, removes the directory. */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const BOOT_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 10_000;
const OUTPUT_TAIL = 4_000;

/**
 * Starts a throwaway PostgreSQL cluster: `initdb` into a temporary directory, then `postgres` on a
 * free loopback port with durability off (fsync, synchronous_commit, full_page_writes: a test
 * database is disposable). Binaries come from PATH, else the newest /usr/lib/postgresql/<v>/bin
 * (Debian's `postgresql` package). As root (initdb refuses root) it runs as the `postgres` user.
 * The server is stopped when the test process exits, however it ends.
 *
 * @example
 * const server = await startPostgresServer();
 * const pool = new pg.Pool({ connectionString: server.url });
 * // …
 * await pool.end(); await server.stop();
 */
export async function startPostgresServer(): Promise<PostgresServerHandle> {
  const bin = findPostgresBin();
  const user = runAs();
  const dir = await mkdtemp(join(tmpdir(), 'checkpoint-pg-'));
  try {
    if (user !== undefined) await chown(dir, user.uid, user.gid);
    const data = join(dir, 'data');
    const init = await run(
      join(bin, 'initdb'),
      ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-locale', '--no-sync'],
      user,
    );
    if (init.code !== 0) throw new Error(`initdb failed (exit ${init.code}):\n${init.output}`);
    let last = '';
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const port = await findFreePort(HOST);
      const started = await launch(bin, data, dir, port, user);
      if ('handle' in started) return started.handle;
      last = started.output;
    }
    throw new Error(`postgres found no free port in 5 tries:\n${last}`);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** The directory holding initdb and postgres: PATH first, then the newest Debian version. */
function findPostgresBin(): string {
  for (const entry of (process.env['PATH'] ?? '').split(delimiter)) {
    if (entry !== '' && existsSync(join(entry, 'initdb')) && existsSync(join(entry, 'postgres')))
      return entry;
  }
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((name) => existsSync(join(root, name, 'bin', 'initdb')))
        .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a))
    : [];
  if (versions[0] === undefined) {
    throw new Error(
      'no PostgreSQL server binaries (initdb, postgres) on PATH or under /usr/lib/postgresql/*/bin: install Debian\u2019s postgresql package, or set DATABASE_URL',
    );
  }
  return join(root, versions[0], 'bin');
}

/** initdb and postgres refuse to run as root: as root, use the `postgres` system user. */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('postgres:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) {
    throw new Error('running as root and there is no `postgres` user for initdb: set DATABASE_URL');
  }
  return { uid: Number(uid), gid: Number(gid) };
}

function run(
  command: string,
  args: string[],
  user: { uid: number; gid: number } | undefined,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...user });
    let output = '';
    const collect = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? -1, output }));
  });
}

type Launch = { handle: PostgresServerHandle } | { output: string };

async function launch(
  bin: string,
  data: string,
  dir: string,
  port: number,
  user: { uid: number; gid: number } | undefined,
): Promise<Launch> {
  const child = spawn(
    join(bin, 'postgres'),
    [
      ...['-D', data, '-p', String(port), '-k', dir, '-c', `listen_addresses=${HOST}`],
      ...['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
      ...['-c', 'max_connections=100'],
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], ...user },
  );
  let output = '';
  let exited = false;
  const collect = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL);
  };
  // Keep draining the pipes for the server's whole life: a full pipe would block it.
  for (const stream of [child.stdout, child.stderr]) {
    stream.on('data', collect);
    if (stream instanceof Socket) stream.unref();
  }
  const watchdog =
    child.pid === undefined
      ? undefined
      : spawnWatchdog(child.pid, dir, {
          name: 'checkpoint-postgres-watchdog',
          gracefulSignal: 'QUIT',
        });
  const exitedPromise = new Promise<void>((resolve) => {
    const done = (): void => {
      exited = true;
      watchdog?.kill('SIGKILL');
      resolve();
    };
    child.once('exit', done);
    child.once('error', done);
  });
  child.unref();
  const url = `postgres://postgres@${HOST}:${port}/postgres`;
  const deadline = Date.now() + BOOT_TIMEOUT_MS;
  while (!exited) {
    if (await answers(url))
      return { handle: handle(child, port, url, dir, exitedPromise, () => exited) };
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      await exitedPromise;
      throw new Error(`postgres on port ${port} did not accept connections in time:\n${output}`);
    }
    await delay(100);
  }
  if (/could not bind|address already in use/i.test(output)) return { output };
  throw new Error(`postgres exited during startup:\n${output}`);
}

function handle(
  child: ChildProcess,
  port: number,
  url: string,
  dir: string,
  exited: Promise<void>,
  hasExited: () => boolean,
): PostgresServerHandle {
  const forget = onProcessExit(() => {
    child.kill('SIGQUIT');
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    url,
    port,
    pid: child.pid ?? -1,
    async stop() {
      if (!hasExited()) {
        child.kill('SIGINT');
        const stopped = await Promise.race([
          exited.then(() => true),
          delay(STOP_TIMEOUT_MS, false, { ref: false }),
        ]);
        if (!stopped) {
          child.kill('SIGKILL');
          await exited;
        }
      }
      forget();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
