/** Jobs the lifecycle schedules: escalate to the next channel, or expire a verification. */
export interface ScheduledJob {
  /** Unique per job; scheduling a job with a key already scheduled replaces it. */
  key: string;
  kind: 'fallback' | 'expire';
  verificationId: string;
  /** Epoch milliseconds. */
  runAt: number;
  /** For `fallback`: the channel that must still be current for the escalation to happen. */
  channel?: string;
}

/** Runs a due job. Set once by `createCheckpoint`. */
export type JobHandler = (job: ScheduledJob) => Promise<void>;

/**
 * Timers for fallback escalation and expiry. The in-process implementation is the default;
 * `@checkpoint/redis` provides one on BullMQ, where a job set by one process runs in another.
 * A job may run more than once (at-least-once): handlers are idempotent.
 */
export interface Scheduler {
  setHandler(handler: JobHandler): void;
  schedule(job: ScheduledJob): Promise<void>;
  cancel(key: string): Promise<void>;
  close(): Promise<void>;
}
