// Node-only helpers for test harnesses that start servers; kept apart from ./testing, which
// imports Vitest, so that benches run outside Vitest can use them.
export { onProcessExit, spawnWatchdog } from './processReaper.js';
export type { WatchdogOptions } from './processReaper.js';
