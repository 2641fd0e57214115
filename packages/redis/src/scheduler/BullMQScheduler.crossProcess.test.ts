// Timers must survive the process that set them: a job set in one process runs in another,
// is replaced or canceled from any process, and runs once however many processes run workers.
import type { ScheduledJob } from '@checkpoint/core';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { deleteByPrefix, type TestRedis, testPrefix, useTestRedis } from '../testing/index.js';
import { BullMQScheduler } from './BullMQScheduler.js';
import { type Child, startChild } from './fixtures/childProcess.js';
import type { ChildConfig, ChildMessage } from './fixtures/protocol.js';

let server: TestRedis;
let redis: Redis;
let prefix: string;
const children: Child[] = [];
const schedulers: BullMQScheduler[] = [];

beforeAll(async () => {
  server = await useTestRedis();
  redis = new Redis(server.url, { lazyConnect: true });
  await redis.connect();
});

afterEach(async () => {
  for (const child of children.splice(0)) child.kill();
  await Promise.all(schedulers.splice(0).map((scheduler) => scheduler.close()));
  await deleteByPrefix(redis, prefix);
});

afterAll(async () => {
  await redis.quit();
  await server.close();
});

async function child(worker: boolean, handlerDelayMs = 0): Promise<Child> {
  const config: ChildConfig = {
    redis: { url: server.url },
    prefix,
    queueName: 'checkpoint',
    worker,
    handlerDelayMs,
  };
  const started = await startChild('schedulerProcess.ts', config);
  children.push(started);
  return started;
}

/** A scheduler in this process, recording the jobs it runs. */
async function local(
  worker: boolean,
  handlerDelayMs = 0,
): Promise<{ scheduler: BullMQScheduler; runs: ScheduledJob[] }> {
  const runs: ScheduledJob[] = [];
  const scheduler = new BullMQScheduler({ connection: redis, prefix, worker });
  schedulers.push(scheduler);
  scheduler.setHandler(async (job) => {
    runs.push(job);
    await settle(handlerDelayMs);
  });
  await scheduler.waitUntilReady();
  return { scheduler, runs };
}

const settle = (ms = 600) => new Promise((resolve) => setTimeout(resolve, ms));

function job(key: string, delayMs: number, channel = 'sms'): ScheduledJob {
  const verificationId = key.slice(key.indexOf(':') + 1);
  return { key, kind: 'fallback', verificationId, runAt: Date.now() + delayMs, channel };
}

const ran = (messages: readonly ChildMessage[]): ScheduledJob[] =>
  messages.flatMap((message) => (message.type === 'ran' ? [message.job] : []));

describe('BullMQScheduler across processes', () => {
  beforeEach(() => {
    prefix = `{${testPrefix('scheduler-xp').slice(0, -1)}}`;
  });

  it('runs a timer here that a process which only schedules set before it exited', async () => {
    const { runs } = await local(true);
    const producer = await child(false);
    const timer = job('fallback:vf_from_child', 500);

    await producer.request({ op: 'schedule', job: timer });
    expect(await producer.close()).toBe(0);

    await vi.waitFor(() => expect(runs).toEqual([timer]), { timeout: 5_000 });
    expect(ran(producer.messages)).toEqual([]);
  });

  it('runs a timer set here in another process that runs the worker', async () => {
    const { scheduler, runs } = await local(false);
    const worker = await child(true);
    const timer = job('expire:vf_to_child', 300);

    await scheduler.schedule(timer);

    const message = await worker.next((m) => m.type === 'ran');
    expect(message).toMatchObject({ type: 'ran', job: timer });
    expect(message.type === 'ran' && message.pid).not.toBe(process.pid);
    expect(message.type === 'ran' && message.at).toBeGreaterThanOrEqual(timer.runAt);
    expect(runs).toEqual([]);
    expect(await worker.close()).toBe(0);
  });

  it('replaces and cancels timers that another process set', async () => {
    const { scheduler, runs } = await local(true);
    const producer = await child(false);

    await producer.request({ op: 'schedule', job: job('fallback:vf_replaced', 300, 'sms') });
    await producer.request({ op: 'schedule', job: job('fallback:vf_canceled', 300) });
    await scheduler.schedule(job('fallback:vf_replaced', 400, 'voice'));
    await scheduler.cancel('fallback:vf_canceled');
    expect(await producer.close()).toBe(0);

    await vi.waitFor(() => expect(runs).toHaveLength(1), { timeout: 5_000 });
    expect(runs[0]).toMatchObject({ key: 'fallback:vf_replaced', channel: 'voice' });
    await settle();
    expect(runs).toHaveLength(1);
  });

  it('runs each job once when two processes run workers on the same queue', async () => {
    // Jobs that take a while keep each worker busy, so both take a share.
    const { scheduler, runs } = await local(true, 100);
    const other = await child(true, 100);
    const timers = Array.from({ length: 30 }, (_, i) => job(`fallback:vf_shared_${i}`, 300));

    await Promise.all(timers.map((timer) => scheduler.schedule(timer)));

    const everyRun = () => [...runs, ...ran(other.messages)];
    await vi.waitFor(() => expect(everyRun()).toHaveLength(timers.length), { timeout: 8_000 });
    await settle();
    expect(
      everyRun()
        .map((run) => run.key)
        .sort(),
    ).toEqual(timers.map((timer) => timer.key).sort());
    expect(runs.length).toBeGreaterThan(0);
    expect(ran(other.messages).length).toBeGreaterThan(0);
    expect(await other.close()).toBe(0);
  });
});
