// Two processes of one deployment (RedisStore + BullMQ): the one that sent a code armed the
// fallback timer; the receipt lands on the other one's webhook route. A delivered receipt there
// stops the escalation, a failed one escalates from there, once.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { twilioSms, whatsappCloud } from '@checkpoint/channels';
import {
  type FakeTwilio,
  type FakeWhatsApp,
  startFakeTwilio,
  startFakeWhatsApp,
} from '@checkpoint/channels/testing';
import { type Checkpoint, createCheckpoint } from '@checkpoint/core';
import { BullMQScheduler, RedisStore } from '@checkpoint/redis';
import {
  deleteByPrefix,
  type TestRedis,
  testPrefix,
  useTestRedis,
} from '@checkpoint/redis/testing';
import express from 'express';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { providerWebhooks } from './providerWebhooks.js';

let redisServer: TestRedis;
let twilio: FakeTwilio;
let meta: FakeWhatsApp;
let http: Server;
let base: string;
const storePrefix = testPrefix('receipts-store');
const queuePrefix = `{${testPrefix('receipts-queue').slice(0, -1)}}`;
const processes: Array<{ checkpoint: Checkpoint; connection: Redis }> = [];

async function deploymentProcess(worker: boolean): Promise<Checkpoint> {
  const connection = new Redis(redisServer.url, { maxRetriesPerRequest: null });
  const scheduler = new BullMQScheduler({
    connection,
    prefix: queuePrefix,
    queueName: 'receipts',
    worker,
  });
  const checkpoint = createCheckpoint({
    secret: 'receipts-across-processes-secret-0123456789',
    channels: [
      twilioSms({
        accountSid: twilio.accountSid,
        authToken: twilio.authToken,
        from: '+15005550006',
        baseUrl: twilio.url,
        statusCallbackUrl: `${base}/twilio/status`,
      }),
      whatsappCloud({
        phoneNumberId: meta.phoneNumberId,
        accessToken: meta.accessToken,
        template: 'login_code',
        baseUrl: meta.url,
      }),
    ],
    store: new RedisStore({ redis: connection, prefix: storePrefix }),
    scheduler,
    defaults: { fallbackTimeoutSeconds: 1 },
  });
  await scheduler.waitUntilReady();
  processes.push({ checkpoint, connection });
  return checkpoint;
}

let sender: Checkpoint;

beforeAll(async () => {
  redisServer = await useTestRedis();
  [twilio, meta] = await Promise.all([startFakeTwilio(), startFakeWhatsApp()]);
  const app = express();
  const ready: { router?: express.Router } = {};
  app.use('/hooks', (req, res, next) => (ready.router ?? next)(req, res, next));
  http = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}/hooks`;
  sender = await deploymentProcess(true);
  const receiver = await deploymentProcess(true);
  ready.router = providerWebhooks(receiver, {
    publicUrl: base,
    twilio: { authToken: twilio.authToken },
  });
});

afterAll(async () => {
  for (const { checkpoint } of processes) await checkpoint.close();
  const admin = processes[0]?.connection;
  if (admin !== undefined) {
    await deleteByPrefix(admin, storePrefix);
    await deleteByPrefix(admin, queuePrefix);
  }
  for (const { connection } of processes) await connection.quit();
  http?.closeAllConnections();
  await new Promise((resolve) => http?.close(resolve));
  await Promise.all([twilio?.stop(), meta?.stop()]);
  await redisServer?.close();
});

describe('receipts across processes with BullMQ', () => {
  it('a delivered receipt on the other process cancels the fallback timer', async () => {
    const { id } = await sender.send({ to: '+14155550100', purpose: 'login' });
    const sid = twilio.messages.at(-1)?.sid ?? '';
    expect((await twilio.sendStatus({ sid, status: 'delivered' })).status).toBe(204);
    // Past the 1 s fallback timeout, with room for a worker to have run it.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect((await sender.get(id)).channel).toBe('sms');
    expect(meta.messages.filter((m) => m.to === '14155550100')).toHaveLength(0);
  });

  it('a failed receipt on the other process escalates to WhatsApp once', async () => {
    const { id } = await sender.send({ to: '+14155550111', purpose: 'login' });
    const sid = twilio.messages.at(-1)?.sid ?? '';
    await twilio.sendStatus({ sid, status: 'undelivered', errorCode: '30003' });
    await vi.waitFor(
      () => expect(meta.messages.filter((m) => m.to === '14155550111')).toHaveLength(1),
      {
        timeout: 5_000,
        interval: 50,
      },
    );
    // The timer armed for SMS fires into a verification that moved on: still one WhatsApp send.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(meta.messages.filter((m) => m.to === '14155550111')).toHaveLength(1);
    expect((await sender.get(id)).channel).toBe('whatsapp');
  });
});
