import { type ChildProcess, spawn } from 'node:child_process';
import { Socket } from 'node:net';

const cleanups = new Set<() => void>();
let exitHookInstalled = false;

/**
 * @internal
 * Runs `cleanup` (synchronously) when this process exits, unless the returned function is called
 * first: for a server a test forgot to stop.
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
 * @internal
 * A tiny `sh` that stops `pid` (SIGQUIT: PostgreSQL's immediate shutdown, which also ends its
 * backends) and removes `dir` once this process is gone however it ends ('exit' handlers do not
 * run when a worker dies of a signal). It blocks reading a pipe the kernel closes when this
 * process dies. Kill it (SIGKILL) once the server has stopped.
 */
export function spawnWatchdog(pid: number, dir: string): ChildProcess {
  const script = `trap '' HUP INT TERM; read -r _line; kill -QUIT "$1" 2>/dev/null; sleep 2; kill -KILL "$1" 2>/dev/null; rm -rf -- "$2"`;
  const watchdog = spawn('sh', ['-c', script, 'checkpoint-postgres-watchdog', String(pid), dir], {
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  watchdog.on('error', () => {
    // Without sh the 'exit' hook still covers ordinary exits.
  });
  watchdog.unref();
  if (watchdog.stdin instanceof Socket) watchdog.stdin.unref();
  watchdog.stdin?.on('error', () => {});
  return watchdog;
}
