import type { Clock, TimerHandle } from '../clock/Clock.js';

interface Timer {
  id: number;
  due: number;
  callback: () => void | Promise<void>;
}

/**
 * A clock that moves only when told to. Timers fire, in order, during {@link ManualClock.advance},
 * which awaits each callback, so a test sees every effect of the time it skipped.
 *
 * @example
 * const clock = new ManualClock();
 * const checkpoint = createCheckpoint({ secret, channels, clock });
 * await clock.advance(601_000); // the verification has expired
 */
export class ManualClock implements Clock {
  private current: number;
  private readonly timers = new Map<number, Timer>();
  private sequence = 0;

  constructor(start = Date.UTC(2026, 10, 22, 12, 0, 0)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimer(callback: () => void | Promise<void>, delayMs: number): TimerHandle {
    this.sequence += 1;
    this.timers.set(this.sequence, {
      id: this.sequence,
      due: this.current + Math.max(0, delayMs),
      callback,
    });
    return this.sequence;
  }

  clearTimer(handle: TimerHandle): void {
    this.timers.delete(handle as number);
  }

  /** Timers not yet fired. */
  get pendingTimers(): number {
    return this.timers.size;
  }

  /** Moves time forward by `ms`, firing each timer that falls due, earliest first. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      let next: Timer | undefined;
      for (const timer of this.timers.values()) {
        if (
          timer.due <= target &&
          (next === undefined ||
            timer.due < next.due ||
            (timer.due === next.due && timer.id < next.id))
        ) {
          next = timer;
        }
      }
      if (next === undefined) break;
      this.timers.delete(next.id);
      this.current = Math.max(this.current, next.due);
      await next.callback();
    }
    this.current = target;
  }

  /** Sets the time without firing timers (to test clock jumps). */
  set(time: number): void {
    this.current = time;
  }
}
