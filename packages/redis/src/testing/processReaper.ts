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

/**
 * Starts a tiny `sh` that SIGKILLs `pid` and removes `dir` once this process is gone, however it
 * ends.
 *
 * 'exit' handlers do not run when the test process dies of a signal (a worker killed on timeout,
 * a closed terminal). The watchdog blocks reading a pipe from this process; the kernel closes that
 * pipe when this process dies, `read` returns and the server is killed. It ignores HUP, INT and
 * TERM because those often reach a whole process group at once, and redis-server itself ignores
 * SIGHUP: a watchdog dying with its parent would leave the server running. Kill the watchdog
 * (SIGKILL) once the server has exited.
 *
 * @internal
 * @example const watchdog = spawnWatchdog(child.pid, dataDir)
 */
export function spawnWatchdog(pid: number, dir: string): ChildProcess {
  const script = `trap '' HUP INT TERM; read -r _line; kill -KILL "$1" 2>/dev/null; rm -rf -- "$2"`;
  const watchdog = spawn('sh', ['-c', script, 'checkpoint-redis-watchdog', String(pid), dir], {
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
