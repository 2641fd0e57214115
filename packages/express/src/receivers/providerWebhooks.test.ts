import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { twilioSms, whatsappCloud } from '@checkpoint/channels';
import {
  type FakeTwilio,
  type FakeWhatsApp,
  startFakeTwilio,
  startFakeWhatsApp,
} from '@checkpoint/channels/testing';
import {
  type Checkpoint,
  createCheckpoint,
  InProcessScheduler,
  MemoryAuditLog,
  MemoryStore,
} from '@checkpoint/core';
import { ManualClock } from '@checkpoint/core/testing';
import express from 'express';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { providerWebhooks } from './providerWebhooks.js';

const TO = '+14155550100';
const VERIFY_TOKEN = 'meta-verify-token-0123';

let twilio: FakeTwilio;
let meta: FakeWhatsApp;
let server: Server;
let base: string;
let checkpoint: Checkpoint;
let clock: ManualClock;
let auditLog: MemoryAuditLog;

beforeEach(async () => {
  [twilio, meta] = await Promise.all([startFakeTwilio(), startFakeWhatsApp()]);
  clock = new ManualClock(Date.now());
  auditLog = new MemoryAuditLog();
  const app = express();
  const ready: { router?: express.Router } = {};
  app.use('/hooks', (req, res, next) => (ready.router ?? next)(req, res, next));
  server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  checkpoint = createCheckpoint({
    secret: 'provider-webhooks-secret-0123456789abcdef',
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
    store: new MemoryStore(),
    auditLog,
    clock,
    scheduler: new InProcessScheduler({ clock }),
  });
  await checkpoint.configure('default', { fallbackTimeoutSeconds: 60 });
  ready.router = providerWebhooks(checkpoint, {
    publicUrl: base,
    twilio: { authToken: twilio.authToken },
    whatsapp: { appSecret: meta.appSecret, verifyToken: VERIFY_TOKEN },
  });
  meta.webhookUrl = `${base}/whatsapp`;
});

afterEach(async () => {
  await checkpoint.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await Promise.all([twilio.stop(), meta.stop()]);
});

const types = async (id: string) => (await checkpoint.audit(id)).map((event) => event.type);

describe('Twilio status callbacks', () => {
  it('a failed SMS receipt escalates to WhatsApp at once', async () => {
    const { id } = await checkpoint.send({ to: TO, purpose: 'login' });
    const sid = twilio.messages[0]?.sid ?? '';
    const answer = await twilio.sendStatus({ sid, status: 'failed', errorCode: '30003' });
    expect(answer.status).toBe(204);
    expect(meta.messages).toHaveLength(1);
    expect(meta.messages[0]?.to).toBe('14155550100');
    expect((await checkpoint.get(id)).channel).toBe('whatsapp');
    expect(await types(id)).toContain('verification.fallback');
  });

  it('no receipt within fallbackTimeoutSeconds escalates; a delivered receipt stops it', async () => {
    const silent = await checkpoint.send({ to: TO, purpose: 'login' });
    await clock.advance(61_000);
    expect((await checkpoint.get(silent.id)).channel).toBe('whatsapp');
    expect(meta.messages).toHaveLength(1);

    const delivered = await checkpoint.send({ to: '+14155550101', purpose: 'login' });
    const sid = twilio.messages.at(-1)?.sid ?? '';
    expect((await twilio.sendStatus({ sid, status: 'delivered' })).status).toBe(204);
    await clock.advance(61_000);
    expect((await checkpoint.get(delivered.id)).channel).toBe('sms');
    expect(meta.messages).toHaveLength(1);
  });

  it('applies a duplicate once and never lets a late "sent" undo "delivered"', async () => {
    const { id } = await checkpoint.send({ to: TO, purpose: 'login' });
    const sid = twilio.messages[0]?.sid ?? '';
    await twilio.sendStatus({ sid, status: 'delivered' });
    await twilio.sendStatus({ sid, status: 'delivered' });
    await twilio.sendStatus({ sid, status: 'sent' });
    const verification = await checkpoint.get(id);
    expect(verification.deliveries[0]?.status).toBe('delivered');
    const receipts = (await checkpoint.audit(id)).filter((e) => e.type === 'delivery.receipt');
    expect(receipts).toHaveLength(1);
  });

  it('acknowledges an unknown message id, and refuses unsigned or tampered callbacks', async () => {
    const url = `${base}/twilio/status`;
    const params = { MessageSid: 'SM00000000000000000000000000000000', MessageStatus: 'delivered' };
    expect((await twilio.postSigned({ url, params })).status).toBe(204);
    expect((await twilio.postSigned({ url, params, signature: null })).status).toBe(400);
    expect((await twilio.postSigned({ url, params, authToken: 'not-the-token' })).status).toBe(403);
    expect(
      (await twilio.postSigned({ url, params, signUrl: 'http://evil.example/hooks/twilio/status' }))
        .status,
    ).toBe(403);
  });

  it('refuses an oversized body with 413 before any signature is computed', async () => {
    const response = await fetch(`${base}/twilio/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'x' },
      body: `Body=${'a'.repeat(200_000)}`,
    });
    expect(response.status).toBe(413);
  });
});

describe('Twilio inbound keywords', () => {
  it('STOP moves the number off SMS (the next code goes by WhatsApp), START brings it back, HELP answers', async () => {
    const url = `${base}/twilio/inbound`;
    const stop = await twilio.sendInbound({ url, from: TO, body: ' stop ' });
    expect(stop.status).toBe(200);
    expect(await checkpoint.optOuts(TO)).toEqual(['sms']);
    const sent = await checkpoint.send({ to: TO, purpose: 'login' });
    expect(sent.channel).toBe('whatsapp');
    expect(twilio.messages).toHaveLength(0);

    const help = await twilio.sendInbound({ url, from: TO, body: 'HELP' });
    expect(help.body).toContain('<Message>Reply STOP to stop receiving codes');

    await twilio.sendInbound({ url, from: TO, body: 'START' });
    expect(await checkpoint.optOuts(TO)).toEqual([]);
    expect((await checkpoint.send({ to: TO, purpose: 'login' })).channel).toBe('sms');

    const events = [];
    for await (const event of auditLog.query({ tenantId: 'default' })) events.push(event);
    const keywords = events.filter((event) => event.type.startsWith('destination.'));
    expect(keywords.map((event) => [event.type, event.reasons])).toEqual([
      ['destination.opted_out', ['twilio:STOP']],
      ['destination.opted_in', ['twilio:START']],
    ]);
  });

  it('refuses an unsigned keyword', async () => {
    const url = `${base}/twilio/inbound`;
    const forged = await twilio.postSigned({
      url,
      params: { From: TO, Body: 'STOP' },
      authToken: 'forged',
    });
    expect(forged.status).toBe(403);
    expect(await checkpoint.optOuts(TO)).toEqual([]);
  });
});

describe('WhatsApp webhooks', () => {
  it('answers the verify-token handshake with the challenge, and 403 to a wrong token', async () => {
    const right = await meta.verifyWebhook({ verifyToken: VERIFY_TOKEN, challenge: '1158201444' });
    expect(right).toMatchObject({ status: 200, body: '1158201444' });
    const wrong = await meta.verifyWebhook({ verifyToken: 'guess', challenge: '1158201444' });
    expect(wrong.status).toBe(403);
  });

  it('records batched statuses, acknowledges unknown ids, and refuses a bad signature', async () => {
    const { id } = await checkpoint.send({ to: TO, purpose: 'login', channels: ['whatsapp'] });
    const wamid = meta.messages[0]?.id ?? '';
    const answer = await meta.sendStatuses(
      [
        { id: wamid, status: 'sent' },
        { id: wamid, status: 'delivered' },
        { id: 'wamid.unknown', status: 'delivered' },
      ],
      { entries: 2 },
    );
    expect(answer.status).toBe(200);
    expect((await checkpoint.get(id)).deliveries[0]?.status).toBe('delivered');

    const forged = await meta.postSigned({
      body: JSON.stringify({ object: 'whatsapp_business_account', entry: [] }),
      appSecret: 'not-the-secret',
    });
    expect(forged.status).toBe(401);
  });

  it('a failed WhatsApp receipt is recorded as failed', async () => {
    const { id } = await checkpoint.send({ to: TO, purpose: 'login', channels: ['whatsapp'] });
    await meta.sendStatuses([{ id: meta.messages[0]?.id ?? '', status: 'failed' }]);
    const verification = await checkpoint.get(id);
    expect(verification.deliveries[0]?.status).toBe('failed');
  });
});
