import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCheckpoint, MemoryAuditLog, outboxChannel } from '@checkpoint/core';
import {
  createWebhooks,
  generateWebhookSecret,
  signWebhook,
  type WebhookEvent,
  webhookAuditLog,
} from '@checkpoint/webhooks';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { webhookReceiver } from './webhookReceiver.js';

const secret = generateWebhookSecret();
const received: WebhookEvent[] = [];
let server: Server;
let url: string;

beforeAll(async () => {
  const app = express();
  app.use(
    '/checkpoint-events',
    webhookReceiver({
      secrets: secret,
      onEvent: (event) => {
        received.push(event);
      },
    }),
  );
  server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/checkpoint-events`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const post = (headers: Record<string, string>, body: string) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

function signed(body: string, id = `msg_${Math.random().toString(36).slice(2)}`, key = secret) {
  const timestamp = Math.floor(Date.now() / 1_000);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signWebhook({ id, timestamp, body, secrets: key }),
  };
}

describe('webhookReceiver', () => {
  it("receives Checkpoint's own signed events end to end", async () => {
    const webhooks = createWebhooks({
      endpoints: () => [{ url, secret }],
      allowHttp: true, // loopback test receiver; production endpoints are https
      allowPrivateNetworks: true,
    });
    const sms = outboxChannel({ name: 'sms' });
    const checkpoint = createCheckpoint({
      secret: 'webhook-receiver-secret-0123456789abcdefgh',
      channels: [sms],
      auditLog: webhookAuditLog(new MemoryAuditLog(), webhooks),
    });
    try {
      const { id } = await checkpoint.send({ to: '+14155550100', purpose: 'login' });
      await checkpoint.check({ id, code: sms.latest('+14155550100')?.code ?? '' });
      await vi.waitFor(
        () => expect(received.map((event) => event.type)).toContain('verification.approved'),
        { timeout: 5_000, interval: 20 },
      );
      const approved = received.find((event) => event.type === 'verification.approved');
      expect(approved?.data).toMatchObject({ verificationId: id, purpose: 'login' });
      expect(JSON.stringify(received)).not.toContain('4155550100');
    } finally {
      await webhooks.close();
      await checkpoint.close();
    }
  });

  it('handles a replayed id once and acknowledges the replay', async () => {
    const body = JSON.stringify({
      type: 'verification.expired',
      timestamp: new Date().toISOString(),
      data: {},
    });
    const headers = signed(body, 'msg_replay_1');
    const before = received.length;
    expect((await post(headers, body)).status).toBe(200);
    const replay = await post(headers, body);
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual({ received: true, replay: true });
    expect(received.length).toBe(before + 1);
  });

  it('refuses a tampered body, another secret and a stale timestamp with 401, and junk with 400', async () => {
    const body = JSON.stringify({
      type: 'verification.approved',
      timestamp: new Date().toISOString(),
      data: {},
    });
    const headers = signed(body);
    expect((await post(headers, body.replace('approved', 'expired'))).status).toBe(401);
    expect((await post(signed(body, undefined, generateWebhookSecret()), body)).status).toBe(401);
    const stale = {
      ...signed(body),
      'webhook-timestamp': String(Math.floor(Date.now() / 1_000) - 301),
    };
    expect((await post(stale, body)).status).toBe(401);
    const junk = await post(
      { 'webhook-id': 'x', 'webhook-timestamp': '1674087231abc', 'webhook-signature': 'v1,xx' },
      body,
    );
    expect(junk.status).toBe(400);
    expect(await junk.json()).toMatchObject({ error: 'invalid_request' });
  });
});
