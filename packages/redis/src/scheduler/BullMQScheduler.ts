import type { JobHandler, ScheduledJob, Scheduler } from '@checkpoint/core';
import { CheckpointError } from '@checkpoint/core';
import { type Job, Queue, Worker } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import { newJobId, TimerIndex } from './TimerIndex.js';
import { assertConnection, workerConnection } from './workerConnection.js';

/** Options of {@link BullMQScheduler}. */
export interface BullMQSchedulerOptions {
  /**
   * The application's ioredis client (a `Redis` or a `Cluster`), used as is for scheduling. The
   * worker runs on its own copies (see {@link BullMQScheduler}); this one is never closed by the
   * scheduler. It must not have an ioredis `keyPrefix`.
   */
  connection: Redis | Cluster;
  /** BullMQ queue name; no `:`. @default 'checkpoint' */
  queueName?: string;
  /**
   * BullMQ key prefix: every key lives under `<prefix>:<queueName>:`. Keep a hash tag (`{…}`) so
   * the queue's multi-key scripts work on Redis Cluster; required on a Cluster.
   * @default '{checkpoint}'
   */
  prefix?: string;
  /** Jobs this process runs at once. @default 10 */
  concurrency?: number;
  /** Whether this process runs due jobs; `false` only schedules and cancels. @default true */
  worker?: boolean;
  /** Tries per job before giving up (the first run included). @default 3 */
  attempts?: number;
  /** Milliseconds before the first retry, doubled for each later one. @default 1000 */
  backoffDelay?: number;
  /**
   * `schedule` and `cancel` fail with `store_unavailable` after this many ms, so a Redis that is
   * down or hung never hangs a send. @default 2000
   */
  timeoutMs?: number;
  /**
   * Called when a job's handler failed on its last attempt (`job` is the job), or when the queue
   * or worker reports an error of its own, such as a lost connection (`job` is undefined).
   * @default logs with console.error
   */
  onError?: (error: unknown, job: ScheduledJob | undefined) => void;
}

/**
 * Fallback and expiry timers on BullMQ: a job scheduled by one process runs in whichever process
 * runs a worker, once it is due, and survives restarts. Delivery is at least once (a worker that
 * dies mid-job leaves it to be run again), which core's idempotent handlers expect.
 *
 * Each `schedule` adds a new delayed job and records it as the key's live job in a hash beside
 * the queue; a job whose key has since been re-scheduled or canceled is skipped when it comes
 * due. So re-arming a key from inside its own running job works, and any process can replace or
 * cancel a timer set by another.
 *
 * @example
 * const redis = new Redis(process.env.REDIS_URL);
 * const scheduler = new BullMQScheduler({ connection: redis });
 * const checkpoint = createCheckpoint({ secret, channels, store, scheduler });
 * // on shutdown
 * await checkpoint.close(); // closes the scheduler; then redis.quit()
 * @see https://docs.bullmq.io/guide/jobs/delayed
 * @see https://docs.bullmq.io/patterns/redis-cluster
 */
export class BullMQScheduler implements Scheduler {
  private readonly connection: Redis | Cluster;
  private readonly queueName: string;
  private readonly prefix: string;
  private readonly concurrency: number;
  private readonly runsJobs: boolean;
  private readonly onError: (error: unknown, job: ScheduledJob | undefined) => void;
  private readonly queue: Queue<ScheduledJob, void, string>;
  private readonly index: TimerIndex;
  private worker: Worker<ScheduledJob, void, string> | undefined;
  private workerClient: Redis | Cluster | undefined;
  private handler: JobHandler | undefined;
  private closing: Promise<void> | undefined;
  private closed = false;
  private readonly timeoutMs: number;

  constructor({
    connection,
    queueName = 'checkpoint',
    prefix = '{checkpoint}',
    concurrency = 10,
    worker = true,
    attempts = 3,
    backoffDelay = 1_000,
    timeoutMs = 2_000,
    onError,
  }: BullMQSchedulerOptions) {
    assertConnection(connection, prefix);
    if (queueName === '' || queueName.includes(':'))
      throw new TypeError(
        `BullMQScheduler: queueName must be non-empty without ':' (got '${queueName}')`,
      );
    if (!Number.isInteger(concurrency) || concurrency < 1)
      throw new TypeError('BullMQScheduler: concurrency must be a positive integer');
    if (!Number.isInteger(attempts) || attempts < 1)
      throw new TypeError('BullMQScheduler: attempts must be a positive integer');
    if (!Number.isInteger(timeoutMs) || timeoutMs < 1)
      throw new TypeError('BullMQScheduler: timeoutMs must be a positive number of milliseconds');
    this.timeoutMs = timeoutMs;
    if (!Number.isFinite(backoffDelay) || backoffDelay < 0)
      throw new TypeError('BullMQScheduler: backoffDelay must be a number of milliseconds >= 0');
    this.connection = connection;
    this.queueName = queueName;
    this.prefix = prefix;
    this.concurrency = concurrency;
    this.runsJobs = worker;
    this.onError =
      onError ??
      ((error, job) =>
        console.error(
          `checkpoint: ${job === undefined ? 'scheduler' : `${job.kind} job`} failed`,
          error,
        ));
    this.queue = new Queue<ScheduledJob, void, string>(queueName, {
      connection,
      prefix,
      // Nobody reads the queue's event stream; keep it short.
      streams: { events: { maxLen: 100 } },
      defaultJobOptions: {
        attempts,
        backoff: { type: 'exponential', delay: backoffDelay },
        // A finished job has nothing left to say: delete it so Redis does not grow.
        removeOnComplete: true,
        removeOnFail: true,
      },
    });
    this.queue.on('error', (error) => this.onError(error, undefined));
    this.index = new TimerIndex(connection, `${prefix}:${queueName}:timer-index`);
  }

  /**
   * Sets the function that runs due jobs and, when this process runs jobs (`worker: true`), starts
   * the worker. A later call replaces the function.
   */
  setHandler(handler: JobHandler): void {
    this.handler = handler;
    if (this.runsJobs && this.worker === undefined && this.closing === undefined)
      this.startWorker();
  }

  /**
   * Arms `job.key` to run at `job.runAt` (at once when that has passed), replacing whatever the
   * key was armed with. Rejects with `CheckpointError('store_unavailable')` when Redis fails.
   */
  async schedule(job: ScheduledJob): Promise<void> {
    this.assertOpen('schedule');
    const jobId = newJobId(job.key);
    await this.redisCall('schedule', async () => {
      // Record the new job as live before it exists, so that when it is due at once a worker
      // never sees it as stale; whichever earlier job it replaces is skipped from here on. (A
      // crash between these two steps loses this timer: the previous one is already disowned.)
      const replaced = await this.index.swap(job.key, jobId);
      const delay = Math.max(0, job.runAt - Date.now()) || 0; // a NaN runAt runs at once
      await this.queue.add(job.kind, job, { jobId, delay });
      // Only tidying: a running job cannot be removed (it is locked), and is skipped anyway.
      if (replaced !== undefined) await this.queue.remove(replaced);
    });
  }

  /**
   * Disarms `key`; a no-op for a key that is not armed. A job for it that has already started is
   * left to finish. Rejects with `CheckpointError('store_unavailable')` when Redis fails.
   */
  async cancel(key: string): Promise<void> {
    this.assertOpen('cancel');
    await this.redisCall('cancel', async () => {
      const jobId = await this.index.take(key);
      if (jobId !== undefined) await this.queue.remove(jobId);
    });
  }

  /**
   * Resolves once the queue's connection, and the worker's when this process runs one, are
   * ready. Only needed by tests that must know the worker is listening.
   */
  async waitUntilReady(): Promise<void> {
    await this.queue.waitUntilReady();
    await this.worker?.waitUntilReady();
  }

  /**
   * Stops the worker (after the jobs it is running finish), closes the queue and the worker's
   * connections. The application's `connection` stays open. Safe to call more than once.
   */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    try {
      // Worker first: a job still running may re-arm its key through the queue.
      await this.worker?.close();
    } finally {
      try {
        await this.queue.close();
      } finally {
        this.workerClient?.disconnect();
        this.closed = true;
      }
    }
  }

  private startWorker(): void {
    this.workerClient = workerConnection(this.connection);
    this.worker = new Worker<ScheduledJob, void, string>(this.queueName, (job) => this.run(job), {
      connection: this.workerClient,
      prefix: this.prefix,
      concurrency: this.concurrency,
    });
    this.worker.on('error', (error) => this.onError(error, undefined));
  }

  private async run(job: Job<ScheduledJob, void, string>): Promise<void> {
    const jobId = job.id;
    const handler = this.handler;
    if (jobId === undefined || handler === undefined) return;
    const data = job.data;
    // Replaced or canceled since it was added: a later job (or none) holds the key now.
    if (!(await this.index.isCurrent(data.key, jobId))) return;
    try {
      await handler(data);
    } catch (error) {
      // Throwing hands the job back to BullMQ, which retries it after a backoff.
      if (job.attemptsMade + 1 < (job.opts.attempts ?? 1)) throw error;
      this.onError(error, data);
      await this.forget(data.key, jobId);
      throw error;
    }
    await this.forget(data.key, jobId);
  }

  /**
   * Drops a finished job from the index. Bookkeeping only, so a failure here does not fail the
   * job: an entry left behind is overwritten by the key's next schedule or dropped by cancel.
   */
  private async forget(key: string, jobId: string): Promise<void> {
    await this.index.release(key, jobId).catch(() => {});
  }

  private assertOpen(operation: string): void {
    if (this.closed)
      throw new CheckpointError('store_unavailable', `the scheduler is closed (${operation})`);
  }

  /** Redis failures become `store_unavailable`, as core's store calls do: never a bare Error. */
  private async redisCall(operation: string, run: () => Promise<void>): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${this.timeoutMs} ms`)),
          this.timeoutMs,
        );
      });
      // A connection without an offline queue refuses commands until it is ready.
      await Promise.race([
        (async () => {
          await this.queue.waitUntilReady();
          await run();
        })(),
        timeout,
      ]);
    } catch (error) {
      throw new CheckpointError(
        'store_unavailable',
        `the scheduler could not reach Redis (${operation})`,
        { cause: error },
      );
    } finally {
      clearTimeout(timer);
    }
  }
}
