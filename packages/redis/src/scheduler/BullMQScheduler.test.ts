import { isCheckpointError } from '@checkpoint/core';
import { Cluster, Redis } from 'ioredis';
import { describe, expect, it, vi } from 'vitest';
import { deleteByPrefix } from '../testing/index.js';
import { BullMQScheduler, type BullMQSchedulerOptions } from './BullMQScheduler.js';
import { fallbackJob, settle, useSchedulerTestbed } from './fixtures/schedulerTestbed.js';

const testbed = useSchedulerTestbed();
const startScheduler = testbed.start;

describe('BullMQScheduler', () => {
  it('runs a delayed job once, after its runAt, with its data', async () => {
    const { scheduler, runs } = await startScheduler();
    const job = fallbackJob('vf_once', 300);

    await scheduler.schedule(job);

    await vi.waitFor(() => expect(runs).toHaveLength(1), { timeout: 5_000 });
    expect(runs[0]?.job).toEqual(job);
    expect(runs[0]?.at).toBeGreaterThanOrEqual(job.runAt);
    await settle();
    expect(runs).toHaveLength(1);
  });

  it('runs a job whose runAt has passed straight away', async () => {
    const { scheduler, runs } = await startScheduler();
    await scheduler.schedule({
      key: 'expire:vf_late',
      kind: 'expire',
      verificationId: 'vf_late',
      runAt: Date.now() - 5_000,
    });
    await vi.waitFor(() => expect(runs.map((run) => run.job.key)).toEqual(['expire:vf_late']), {
      timeout: 5_000,
    });
  });

  it('replaces the earlier job when a key is scheduled again, so only the last one runs', async () => {
    const { scheduler, runs } = await startScheduler();

    await scheduler.schedule(fallbackJob('vf_re', 200, 'sms'));
    await scheduler.schedule(fallbackJob('vf_re', 400, 'whatsapp'));
    await scheduler.schedule(fallbackJob('vf_re', 300, 'voice'));

    await vi.waitFor(() => expect(runs).toHaveLength(1), { timeout: 5_000 });
    expect(runs[0]?.job.channel).toBe('voice');
    await settle();
    expect(runs).toHaveLength(1);
  });

  it('does not run a canceled job, and leaves other keys alone', async () => {
    const { scheduler, runs } = await startScheduler();

    await scheduler.schedule(fallbackJob('vf_cancel', 200));
    await scheduler.schedule({
      key: 'expire:vf_cancel',
      kind: 'expire',
      verificationId: 'vf_cancel',
      runAt: Date.now() + 300,
    });
    await scheduler.cancel('fallback:vf_cancel');
    await scheduler.cancel('fallback:vf_never_scheduled');

    await vi.waitFor(() => expect(runs).toHaveLength(1), { timeout: 5_000 });
    expect(runs[0]?.job.key).toBe('expire:vf_cancel');
    await settle();
    expect(runs).toHaveLength(1);
  });

  it('runs again when a running job re-arms its own key, as an escalation does', async () => {
    const rearm = { scheduler: undefined as BullMQScheduler | undefined };
    const { scheduler, runs } = await startScheduler({}, async (job) => {
      // The fallback handler escalates to the next channel and sets the timer for that one.
      if (job.channel === 'sms')
        await rearm.scheduler?.schedule(fallbackJob(job.verificationId, 100, 'voice'));
    });
    rearm.scheduler = scheduler;

    await scheduler.schedule(fallbackJob('vf_escalate', 100, 'sms'));

    await vi.waitFor(() => expect(runs.map((run) => run.job.channel)).toEqual(['sms', 'voice']), {
      timeout: 5_000,
    });
    await settle();
    expect(runs).toHaveLength(2);
  });

  it('only schedules when worker is false: another instance runs the job', async () => {
    const prefix = testbed.uniquePrefix();
    const { scheduler: producer, runs: producerRuns } = await startScheduler({
      prefix,
      worker: false,
    });
    const { runs } = await startScheduler({ prefix });

    await producer.schedule(fallbackJob('vf_producer', 100));

    await vi.waitFor(() => expect(runs).toHaveLength(1), { timeout: 5_000 });
    expect(producerRuns).toEqual([]);
  });

  it('runs jobs on a fail-fast application connection (maxRetriesPerRequest, commandTimeout)', async () => {
    // BullMQ refuses such a client for a Worker, and a command timeout would cut its blocking
    // reads short: the worker must get a copy without them.
    const failFast = new Redis(testbed.url(), {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: 200,
      lazyConnect: true,
    });
    await failFast.connect();
    const onError = vi.fn();
    try {
      const { scheduler, runs } = await startScheduler({ connection: failFast, onError });
      await scheduler.schedule(fallbackJob('vf_fail_fast', 1_000));

      await vi.waitFor(() => expect(runs).toHaveLength(1), { timeout: 5_000 });
      expect(onError).not.toHaveBeenCalled();
      await scheduler.close();
    } finally {
      await failFast.quit();
    }
  });

  it('keeps every Redis key under its prefix, and finished jobs are deleted', async () => {
    const prefix = testbed.uniquePrefix();
    // The queue name carries the same unique token: any key built from either would show.
    const token = prefix.slice(1, -1).replaceAll(':', '-');
    const { scheduler, runs } = await startScheduler(
      { prefix, queueName: token, backoffDelay: 50, onError: () => {} },
      async (job) => {
        if (job.kind === 'expire') throw new Error('fails, to leave a failed job');
      },
    );

    await scheduler.schedule(fallbackJob('vf_keys', 0));
    await scheduler.schedule({
      key: 'expire:vf_keys',
      kind: 'expire',
      verificationId: 'vf_keys',
      runAt: Date.now(),
    });
    await scheduler.schedule(fallbackJob('vf_pending', 60_000));
    await vi.waitFor(() => expect(runs).toHaveLength(4), { timeout: 5_000 });
    await scheduler.close();
    // The index of live timers forgets jobs that ran or gave up.
    expect(await testbed.redis().hkeys(`${prefix}:${token}:timer-index`)).toEqual([
      'fallback:vf_pending',
    ]);

    const keys: string[] = [];
    for await (const page of testbed.redis().scanStream({ match: `*${token}*`, count: 1_000 }))
      keys.push(...(page as string[]));
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.filter((key) => !key.startsWith(`${prefix}:`))).toEqual([]);
    // Only the pending job's hash is left of the three jobs.
    const jobKeys = keys.filter((key) =>
      key.startsWith(`${prefix}:${token}:${encodeURIComponent('fallback:')}`),
    );
    expect(jobKeys).toHaveLength(1);
    expect(jobKeys[0]).toContain('vf_pending');

    await deleteByPrefix(testbed.redis(), prefix);
    const left: string[] = [];
    for await (const page of testbed.redis().scanStream({ match: `*${token}*`, count: 1_000 }))
      left.push(...(page as string[]));
    expect(left).toEqual([]);
  });

  it('closes idempotently, leaves the application connection open, and refuses work after', async () => {
    const { scheduler } = await startScheduler();

    await Promise.all([scheduler.close(), scheduler.close()]);
    await scheduler.close();

    expect(await testbed.redis().ping()).toBe('PONG');
    const error: unknown = await scheduler
      .schedule(fallbackJob('vf_closed', 0))
      .catch((e: unknown) => e);
    expect(isCheckpointError(error) && error.code).toBe('store_unavailable');
  });

  it('refuses a missing connection, an ioredis keyPrefix, bad numbers and a Cluster prefix without a hash tag', () => {
    const prefixed = new Redis(testbed.url(), { keyPrefix: 'app:', lazyConnect: true });
    const cluster = new Cluster([{ host: '127.0.0.1', port: 1 }], { lazyConnect: true });
    const make = (options: Partial<BullMQSchedulerOptions>) => () =>
      new BullMQScheduler({ connection: testbed.redis(), ...options });

    expect(make({ connection: undefined as unknown as Redis })).toThrow(
      /requires an ioredis connection/,
    );
    expect(make({ connection: prefixed })).toThrow(TypeError);
    expect(make({ connection: prefixed })).toThrow(/keyPrefix/);
    expect(make({ connection: cluster, prefix: 'checkpoint' })).toThrow(/hash tag/);
    expect(make({ concurrency: 0 })).toThrow(TypeError);
    expect(make({ attempts: 1.5 })).toThrow(TypeError);
    expect(make({ queueName: 'a:b' })).toThrow(TypeError);
    prefixed.disconnect();
    cluster.disconnect();
  });
});
