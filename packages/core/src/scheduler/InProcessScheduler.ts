import { type Clock, systemClock, type TimerHandle } from '../clock/Clock.js';
import type { JobHandler, ScheduledJob, Scheduler } from './Scheduler.js';

/** Options of {@link InProcessScheduler}. */
export interface InProcessSchedulerOptions {
  /** @default systemClock */
  clock?: Clock;
  /** Called when a handler throws; the job is not retried. @default logs with console.error */
  onError?: (error: unknown, job: ScheduledJob) => void;
}

/**
 * Timers in this process only: jobs are lost when it exits. Fine for one process and for tests;
 * use the BullMQ scheduler of `@checkpoint/redis` when several processes share a store.
 */
export class InProcessScheduler implements Scheduler {
  private readonly clock: Clock;
  private readonly onError: (error: unknown, job: ScheduledJob) => void;
  private readonly timers = new Map<string, TimerHandle>();
  private handler: JobHandler | undefined;

  constructor({ clock = systemClock, onError }: InProcessSchedulerOptions = {}) {
    this.clock = clock;
    this.onError =
      onError ?? ((error, job) => console.error(`checkpoint: ${job.kind} job failed`, error));
  }

  setHandler(handler: JobHandler): void {
    this.handler = handler;
  }

  schedule(job: ScheduledJob): Promise<void> {
    this.clear(job.key);
    const timer = this.clock.setTimer(() => this.run(job), job.runAt - this.clock.now());
    this.timers.set(job.key, timer);
    return Promise.resolve();
  }

  cancel(key: string): Promise<void> {
    this.clear(key);
    return Promise.resolve();
  }

  close(): Promise<void> {
    for (const key of [...this.timers.keys()]) this.clear(key);
    return Promise.resolve();
  }

  /** Number of jobs waiting, for tests and diagnostics. */
  get size(): number {
    return this.timers.size;
  }

  private async run(job: ScheduledJob): Promise<void> {
    this.timers.delete(job.key);
    if (this.handler === undefined) return;
    try {
      await this.handler(job);
    } catch (error) {
      this.onError(error, job);
    }
  }

  private clear(key: string): void {
    const timer = this.timers.get(key);
    if (timer !== undefined) {
      this.clock.clearTimer(timer);
      this.timers.delete(key);
    }
  }
}
