import { CheckpointError } from '@checkpoint/core';
import { Queue, Worker } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import { ADD_DEAD_LETTER, TAKE_DEAD_LETTER } from './deadLetterScripts.js';
import { workerConnection } from './workerConnection.js';
import type {
  DeadLetter,
  DeadLetterQuery,
  WebhookDelivery,
  WebhookQueue,
} from '../queue/WebhookQueue.js';

/** Options of {@link BullMQWebhookQueue}. */
export interface BullMQWebhookQueueOptions {
  /**
   * The application's ioredis client (`Redis` or `Cluster`, without `keyPrefix`), used for adding
   * jobs and for dead letters and disabled endpoints. Never closed by the queue; the worker runs
   * on its own copies.
   */
  connection: Redis | Cluster;
  /** BullMQ queue name; no `:`. @default 'webhooks' */
  queueName?: string;
  /**
   * Key prefix: the BullMQ queue and this package's keys live under `<prefix>:<queueName>:`.
   * Keep a hash tag (`{…}`) so every key is in one Redis Cluster slot.
   * @default '{checkpoint}'
   */
  prefix?: string;
  /** Deliveries this process sends at once. @default 10 */
  concurrency?: number;
  /** Whether this process sends deliveries; `false` only queues them. @default true */
  worker?: boolean;
  /** Dead letters kept per tenant; past it the oldest go. @default 1000 */
  maxDeadLetters?: number;
  /**
   * Every Redis call fails with `store_unavailable` after this many ms, so a Redis that is down
   * or hung never holds up the send or check whose audit event is being published. @default 2000
   */
  timeoutMs?: number;
  /**
   * Called when a job fails for a reason of its own (Redis unreachable while recording an
   * outcome; BullMQ retries the job), or when the queue or worker reports an error.
   * @default logs with console.error
   */
  onError?: (error: unknown) => void;
}

/** BullMQ's attempts for a job whose own bookkeeping failed (not for HTTP failures). */
const JOB_ATTEMPTS = 5;

/**
 * Webhook deliveries on BullMQ: each attempt is a delayed job, so pending retries survive a
 * restart and run in whichever process runs a worker. Dead letters (a hash plus a sorted set per
 * tenant) and disabled endpoints (a hash) live in Redis beside the queue, so every process reads
 * and replays the same ones. Delivery is at least once: a worker that dies mid-attempt leaves the
 * job to be run again, with the same `webhook-id`.
 *
 * @example
 * import { BullMQWebhookQueue } from '@checkpoint/webhooks/bullmq';
 * const queue = new BullMQWebhookQueue({ connection: new Redis(process.env.REDIS_URL) });
 * const webhooks = createWebhooks({ endpoints, queue });
 * @see https://docs.bullmq.io/guide/jobs/delayed
 */
export class BullMQWebhookQueue implements WebhookQueue {
  private readonly connection: Redis | Cluster;
  private readonly queueName: string;
  private readonly prefix: string;
  private readonly concurrency: number;
  private readonly runsJobs: boolean;
  private readonly maxDeadLetters: number;
  private readonly timeoutMs: number;
  private readonly onError: (error: unknown) => void;
  private readonly queue: Queue<WebhookDelivery, void, string>;
  private readonly keys: { dead: string; disabled: string; tenant: (id: string) => string };
  private worker: Worker<WebhookDelivery, void, string> | undefined;
  private workerClient: Redis | Cluster | undefined;
  private closing: Promise<void> | undefined;

  constructor({
    connection,
    queueName = 'webhooks',
    prefix = '{checkpoint}',
    concurrency = 10,
    worker = true,
    maxDeadLetters = 1_000,
    timeoutMs = 2_000,
    onError,
  }: BullMQWebhookQueueOptions) {
    if (typeof (connection as Partial<Redis> | undefined)?.duplicate !== 'function') {
      throw new TypeError(
        'BullMQWebhookQueue requires an ioredis connection: pass { connection: new Redis(url) } or a Cluster',
      );
    }
    if (connection.options.keyPrefix) {
      throw new TypeError(
        'BullMQWebhookQueue: the connection has an ioredis keyPrefix, which BullMQ cannot use; set the `prefix` option instead',
      );
    }
    if (queueName === '' || queueName.includes(':')) {
      throw new TypeError(
        `BullMQWebhookQueue: queueName must be non-empty without ':' (got '${queueName}')`,
      );
    }
    if (connection.isCluster && !/\{[^}]+\}/.test(prefix)) {
      throw new TypeError(
        `BullMQWebhookQueue: on Redis Cluster the prefix must contain a hash tag such as '{checkpoint}' (got '${prefix}')`,
      );
    }
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new TypeError('BullMQWebhookQueue: concurrency must be a positive integer');
    }
    if (!Number.isInteger(maxDeadLetters) || maxDeadLetters < 1) {
      throw new TypeError('BullMQWebhookQueue: maxDeadLetters must be a positive integer');
    }
    if (!Number.isInteger(timeoutMs) || timeoutMs < 1) {
      throw new TypeError(
        'BullMQWebhookQueue: timeoutMs must be a positive number of milliseconds',
      );
    }
    this.timeoutMs = timeoutMs;
    this.connection = connection;
    this.queueName = queueName;
    this.prefix = prefix;
    this.concurrency = concurrency;
    this.runsJobs = worker;
    this.maxDeadLetters = maxDeadLetters;
    this.onError = onError ?? ((error) => console.error('checkpoint: webhook queue error', error));
    const base = `${prefix}:${queueName}:`;
    this.keys = {
      dead: `${base}dead-letters`,
      disabled: `${base}disabled-endpoints`,
      tenant: (tenantId) => `${base}dead-letters:${tenantId}`,
    };
    this.queue = new Queue<WebhookDelivery, void, string>(queueName, {
      connection,
      prefix,
      streams: { events: { maxLen: 100 } },
      defaultJobOptions: {
        attempts: JOB_ATTEMPTS,
        backoff: { type: 'exponential', delay: 1_000 },
        removeOnComplete: true,
        removeOnFail: 1_000,
      },
    });
    this.queue.on('error', (error) => this.onError(error));
  }

  start(run: (delivery: WebhookDelivery) => Promise<void>): void {
    if (!this.runsJobs || this.worker !== undefined || this.closing !== undefined) return;
    this.workerClient = workerConnection(this.connection);
    this.worker = new Worker<WebhookDelivery, void, string>(
      this.queueName,
      async (job) => {
        try {
          await run(job.data);
        } catch (error) {
          // Throwing hands the job back to BullMQ, which runs it again after a backoff.
          this.onError(error);
          throw error;
        }
      },
      { connection: this.workerClient, prefix: this.prefix, concurrency: this.concurrency },
    );
    this.worker.on('error', (error) => this.onError(error));
  }

  async add(delivery: WebhookDelivery, delayMs: number): Promise<void> {
    // One job per attempt; its id makes adding the same attempt twice a no-op while it waits.
    const jobId = `${delivery.id}-${delivery.replays}-${delivery.attempt}`;
    const delay = Math.max(0, Math.round(delayMs));
    await this.redisCall('add', async () => {
      // A connection without an offline queue refuses commands until it is ready.
      await this.queue.waitUntilReady();
      await this.queue.add('delivery', delivery, { jobId, delay });
    });
  }

  async addDeadLetter(letter: DeadLetter): Promise<void> {
    await this.redisCall('addDeadLetter', () =>
      this.connection.eval(
        ADD_DEAD_LETTER,
        2,
        this.keys.dead,
        this.keys.tenant(letter.tenantId),
        letter.id,
        JSON.stringify(letter),
        letter.failedAt,
        this.maxDeadLetters,
      ),
    );
  }

  async deadLetters({ tenantId, limit = 100 }: DeadLetterQuery): Promise<DeadLetter[]> {
    const ids = await this.redisCall('deadLetters', () =>
      this.connection.zrevrange(this.keys.tenant(tenantId), 0, Math.max(1, limit) - 1),
    );
    if (ids.length === 0) return [];
    const values = await this.redisCall('deadLetters', () =>
      this.connection.hmget(this.keys.dead, ...ids),
    );
    return values.filter((value) => value !== null).map((value) => JSON.parse(value) as DeadLetter);
  }

  async takeDeadLetter(id: string): Promise<DeadLetter | null> {
    const value = await this.redisCall('takeDeadLetter', () =>
      this.connection.hget(this.keys.dead, id),
    );
    if (value === null) return null;
    const letter = JSON.parse(value) as DeadLetter;
    const taken = await this.redisCall('takeDeadLetter', () =>
      this.connection.eval(
        TAKE_DEAD_LETTER,
        2,
        this.keys.dead,
        this.keys.tenant(letter.tenantId),
        id,
      ),
    );
    return Number(taken) === 1 ? letter : null;
  }

  async setDisabled(url: string, disabled: boolean): Promise<boolean> {
    const changed = await this.redisCall('setDisabled', () =>
      disabled
        ? this.connection.hset(this.keys.disabled, url, String(Date.now()))
        : this.connection.hdel(this.keys.disabled, url),
    );
    return changed === 1;
  }

  async isDisabled(url: string): Promise<boolean> {
    const exists = await this.redisCall('isDisabled', () =>
      this.connection.hexists(this.keys.disabled, url),
    );
    return exists === 1;
  }

  /** Resolves once the queue (and the worker, when this process runs one) is connected. */
  async waitUntilReady(): Promise<void> {
    await this.queue.waitUntilReady();
    await this.worker?.waitUntilReady();
  }

  /**
   * Stops the worker (after the attempts under way), closes the queue and the worker's
   * connections. The application's connection stays open. Safe to call more than once.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      try {
        await this.worker?.close();
      } finally {
        try {
          await this.queue.close();
        } finally {
          this.workerClient?.disconnect();
        }
      }
    })();
    return this.closing;
  }

  /** Redis failures and timeouts become `store_unavailable`, as core's store calls do. */
  private async redisCall<T>(operation: string, run: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        run(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer within ${this.timeoutMs} ms`)),
            this.timeoutMs,
          );
        }),
      ]);
    } catch (error) {
      throw new CheckpointError(
        'store_unavailable',
        `the webhook queue could not reach Redis (${operation})`,
        { cause: error },
      );
    } finally {
      clearTimeout(timer);
    }
  }
}
