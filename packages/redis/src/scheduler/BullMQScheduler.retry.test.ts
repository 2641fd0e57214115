// A handler that throws is retried with backoff, then reported once; a canceled or replaced
// job is not retried.
import { describe, expect, it, vi } from 'vitest';
import { fallbackJob, settle, useSchedulerTestbed } from './fixtures/schedulerTestbed.js';

const testbed = useSchedulerTestbed();
const startScheduler = testbed.start;

describe('BullMQScheduler retries', () => {
  it('retries a failing handler with backoff, then reports the job to onError once', async () => {
    const onError = vi.fn();
    const { scheduler, runs } = await startScheduler(
      { attempts: 3, backoffDelay: 50, onError },
      async () => {
        throw new Error('store down');
      },
    );

    await scheduler.schedule(fallbackJob('vf_fail', 0));

    await vi.waitFor(() => expect(onError).toHaveBeenCalledTimes(1), { timeout: 5_000 });
    expect(runs).toHaveLength(3);
    expect(onError).toHaveBeenCalledWith(
      expect.objectContaining({ message: 'store down' }),
      runs[0]?.job,
    );
    await settle(300);
    expect(runs).toHaveLength(3);
  });

  it('does not report a job whose retry succeeds', async () => {
    const onError = vi.fn();
    let failures = 1;
    const { scheduler, runs } = await startScheduler({ backoffDelay: 50, onError }, async () => {
      if (failures-- > 0) throw new Error('transient');
    });

    await scheduler.schedule(fallbackJob('vf_retry', 0));

    await vi.waitFor(() => expect(runs).toHaveLength(2), { timeout: 5_000 });
    await settle(300);
    expect(runs).toHaveLength(2);
    expect(onError).not.toHaveBeenCalled();
  });

  it('does not retry a job canceled after a failed attempt', async () => {
    const { scheduler, runs } = await startScheduler(
      { backoffDelay: 300, onError: () => {} },
      async () => {
        throw new Error('fails');
      },
    );

    await scheduler.schedule(fallbackJob('vf_retry_cancel', 0));
    await vi.waitFor(() => expect(runs).toHaveLength(1), { timeout: 5_000 });
    await scheduler.cancel('fallback:vf_retry_cancel');

    await settle(800);
    expect(runs).toHaveLength(1);
  });
});
