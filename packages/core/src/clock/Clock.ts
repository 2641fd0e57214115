/** An opaque timer handle returned by {@link Clock.setTimer}. */
export type TimerHandle = unknown;

/**
 * Time as Checkpoint sees it: the current time in milliseconds, and timers. Injected so tests can
 * use a manual clock (`ManualClock` in `@checkpoint/core/testing`) instead of sleeping.
 */
export interface Clock {
  now(): number;
  /** Calls `callback` after `delayMs`; a returned promise is awaited by manual clocks. */
  setTimer(callback: () => void | Promise<void>, delayMs: number): TimerHandle;
  clearTimer(handle: TimerHandle): void;
}

// setTimeout overflows (and fires at once) past 2^31 - 1 ms.
const MAX_DELAY = 2 ** 31 - 1;

/** The system clock: `Date.now()` and unref'd `setTimeout`, so pending timers never keep a process alive. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(callback, delayMs) {
    const timer = setTimeout(() => void callback(), Math.min(Math.max(0, delayMs), MAX_DELAY));
    timer.unref();
    return timer;
  },
  clearTimer(handle) {
    clearTimeout(handle as NodeJS.Timeout);
  },
};
