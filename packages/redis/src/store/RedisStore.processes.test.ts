// Threat: guessing with parallel requests spread over several app processes must not buy extra attempts or approvals.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createCheckpoint, outboxChannel } from '@checkpoint/core';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteByPrefix, type TestRedis, testPrefix, useTestRedis } from '../testing/index.js';
import { RedisStore } from './RedisStore.js';
import { testClient } from './testClient.js';

const SECRET = 'two-process-secret-0123456789abcdefghij';
const WORKER = fileURLToPath(new URL('./fixtures/checkWorker.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const TO = '+14155550100';

type Result = { status?: string; remainingAttempts?: number; error?: string };

let server: TestRedis;
let client: Redis;
const prefix = testPrefix('procs');

beforeAll(async () => {
  server = await useTestRedis();
  client = await testClient(server.url);
});

afterAll(async () => {
  await deleteByPrefix(client, prefix);
  client.disconnect();
  await server.close();
});

function startWorker(
  id: string,
  code: string,
  count: number,
): { child: ChildProcessWithoutNullStreams; ready: Promise<void>; results: Promise<Result[]> } {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--conditions=source',
      WORKER,
      server.url,
      prefix,
      SECRET,
      id,
      code,
      String(count),
    ],
    {
      cwd: ROOT,
      stdio: 'pipe',
    },
  );
  let output = '';
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => {
    errors += chunk.toString();
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.startsWith('ready\n')) resolve();
    });
    child.once('exit', (code) =>
      reject(new Error(`worker exited (${code}) before it was ready: ${errors}`)),
    );
  });
  const results = new Promise<Result[]>((resolve, reject) => {
    child.once('exit', (exitCode) => {
      const line = output.split('\n').find((entry) => entry.startsWith('['));
      if (exitCode === 0 && line !== undefined) resolve(JSON.parse(line) as Result[]);
      else reject(new Error(`worker failed (${exitCode}): ${errors}`));
    });
  });
  return { child, ready, results };
}

async function race(id: string, code: string, perProcess: number): Promise<Result[]> {
  const workers = [startWorker(id, code, perProcess), startWorker(id, code, perProcess)];
  await Promise.all(workers.map((worker) => worker.ready));
  for (const worker of workers) worker.child.stdin.end('go\n');
  return (await Promise.all(workers.map((worker) => worker.results))).flat();
}

describe('RedisStore with two Node processes on one verification', () => {
  it('evaluates exactly maxAttempts of 200 wrong checks from two processes', async () => {
    const sms = outboxChannel({ name: 'sms' });
    const checkpoint = createCheckpoint({
      secret: SECRET,
      channels: [sms],
      store: new RedisStore({ redis: client, prefix }),
    });
    const { id } = await checkpoint.send({ to: TO, purpose: 'login' });
    const wrong = sms.latest(TO)?.code === '000000' ? '000001' : '000000';
    const results = await race(id, wrong, 100);
    const failed = results.filter((result) => result.status === 'failed');
    expect(failed.map((result) => result.remainingAttempts).sort()).toEqual([0, 1, 2, 3, 4]);
    expect(results.filter((result) => result.status === 'max_attempts')).toHaveLength(195);
    expect((await checkpoint.get(id)).attempts).toBe(5);
    await checkpoint.close();
  });

  it('approves exactly one of 50 correct checks from two processes', async () => {
    const sms = outboxChannel({ name: 'sms' });
    const checkpoint = createCheckpoint({
      secret: SECRET,
      channels: [sms],
      store: new RedisStore({ redis: client, prefix }),
    });
    const { id } = await checkpoint.send({ to: '+14155550101', purpose: 'login' });
    const results = await race(id, sms.latest('+14155550101')?.code ?? '', 25);
    expect(results.filter((result) => result.status === 'approved')).toHaveLength(1);
    expect(results.filter((result) => result.error === 'not_found')).toHaveLength(49);
    await checkpoint.close();
  });
});
