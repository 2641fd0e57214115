import { type ChildProcess, spawn } from 'node:child_process';
import { Socket } from 'node:net';

const cleanups = new Set<() => void>();
let exitHookInstalled = false;

/**
 * Runs `cleanup` (synchronously) when this process exits, unless the returned function is called
 * first. For servers a test forgot to stop, or a run that ends with an uncaught error.
 *
 * @internal
 * @example const forget = onProcessExit(() => child.kill('SIGKILL'))
 */
export function onProcessExit(cleanup: () => void): () => void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const run of cleanups) {
        try {
          run();
        } catch {
          // Best effort: one failed cleanup must not stop the others.
        }
      }
    });
  }
  cleanups.add(cleanup);
  return () => {
    cleanups.delete(cleanup);
  };
}

/** How a watchdog stops its server: at once, or a graceful signal first. */
export interface WatchdogOptions {
  /** Names the watchdog in `ps`. @default 'checkpoint-watchdog' */
  name?: string;
  /**
   * A signal sent first, then SIGKILL two seconds later (PostgreSQL: QUIT, its immediate shutdown
   * that also ends its backends). @default none: SIGKILL at once
   */
  gracefulSignal?: 'QUIT' | 'TERM' | 'INT';
}

/**
 * Starts a tiny `sh` that stops `pid` and removes `dir` once this process is gone, however it
 * ends. For the test harnesses of the packages that start servers (redis-server, postgres).
 *
 * 'exit' handlers do not run when the test process dies of a signal (a worker killed on timeout,
 * a closed terminal). The watchdog blocks reading a pipe from this process; the kernel closes that
 * pipe when this process dies, `read` returns and the server is killed. It ignores HUP, INT and
 * TERM because those often reach a whole process group at once, and servers often ignore SIGHUP:
 * a watchdog dying with its parent would leave the server running. Kill the watchdog (SIGKILL)
 * once the server has exited.
 *
 * @internal
 * @example const watchdog = spawnWatchdog(child.pid, dataDir)
 */
export function spawnWatchdog(
  pid: number,
  dir: string,
  { name = 'checkpoint-watchdog', gracefulSignal }: WatchdogOptions = {},
): ChildProcess {
  const stop =
    gracefulSignal === undefined
      ? 'kill -KILL "$1" 2>/dev/null'
      : `kill -${gracefulSignal} "$1" 2>/dev/null; sleep 2; kill -KILL "$1" 2>/dev/null`;
  const script = `trap '' HUP INT TERM; read -r _line; ${stop}; rm -rf -- "$2"`;
  const watchdog = spawn('sh', ['-c', script, name, String(pid), dir], {
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  watchdog.on('error', () => {
    // Without sh the 'exit' hook still covers ordinary exits.
  });
  // Neither the watchdog nor its pipe may keep this process alive.
  watchdog.unref();
  if (watchdog.stdin instanceof Socket) watchdog.stdin.unref();
  watchdog.stdin?.on('error', () => {});
  return watchdog;
}
