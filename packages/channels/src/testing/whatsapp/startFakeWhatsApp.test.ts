import { createCheckpoint } from '@checkpoint/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  parseWhatsAppStatuses,
  type WhatsAppReceipt,
} from '../../whatsapp/parseWhatsAppStatuses.js';
import {
  validateWhatsAppSignature,
  whatsappSignature,
} from '../../whatsapp/validateWhatsAppSignature.js';
import { whatsappCloud } from '../../whatsapp/whatsappCloud.js';
import { whatsappVerifyHandshake } from '../../whatsapp/whatsappVerifyHandshake.js';
import { type FakeWhatsApp, startFakeWhatsApp } from './startFakeWhatsApp.js';
import { type LoopbackServer, startHttpServer } from '../startHttpServer.js';

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

const VERIFY_TOKEN = 'a-verify-token';

/** The app's webhook, framework-free: handshake on GET, signature then statuses on POST. */
async function receiver(
  meta: FakeWhatsApp,
  handle: (receipts: WhatsAppReceipt[], raw: Buffer) => unknown = () => undefined,
): Promise<LoopbackServer> {
  const server = await startHttpServer(async (request) => {
    if (request.method === 'GET') {
      const challenge = whatsappVerifyHandshake({
        query: request.query,
        verifyToken: VERIFY_TOKEN,
      });
      return challenge === undefined ? { status: 403 } : { status: 200, body: challenge };
    }
    const header = request.headers['x-hub-signature-256'];
    if (!validateWhatsAppSignature({ appSecret: meta.appSecret, rawBody: request.body, header }))
      return { status: 401 };
    await handle(parseWhatsAppStatuses(JSON.parse(request.body.toString('utf8'))), request.body);
    return { status: 200 };
  });
  stops.push(() => server.stop());
  meta.webhookUrl = `${server.url}/hooks/whatsapp`;
  return server;
}

async function fakeWhatsApp(): Promise<FakeWhatsApp> {
  const meta = await startFakeWhatsApp();
  stops.push(() => meta.stop());
  return meta;
}

describe('startFakeWhatsApp', () => {
  it('sends batched status webhooks, signed over the raw bytes', async () => {
    const meta = await fakeWhatsApp();
    const seen: WhatsAppReceipt[] = [];
    const raws: Buffer[] = [];
    await receiver(meta, (receipts, raw) => {
      seen.push(...receipts);
      raws.push(raw);
    });
    const channel = whatsappCloud({
      phoneNumberId: meta.phoneNumberId,
      accessToken: meta.accessToken,
      template: 'login_code',
      baseUrl: meta.url,
    });
    const message = {
      to: '+14155550123',
      code: '123456',
      text: '',
      locale: 'en',
      purpose: 'login',
      tenantId: 'acme',
      expiresAt: Date.now() + 60_000,
    };
    const a = await channel.send({ ...message, verificationId: 'vf_a' });
    const b = await channel.send({ ...message, verificationId: 'vf_b' });

    const answer = await meta.sendStatuses(
      [
        { id: a.providerMessageId as string, status: 'sent' },
        { id: b.providerMessageId as string, status: 'failed' },
        { id: a.providerMessageId as string, status: 'delivered' },
      ],
      { entries: 2 },
    );
    expect(answer.status).toBe(200);
    expect(seen.map((r) => [r.verificationId, r.status, r.errorCode])).toEqual([
      ['vf_a', 'sent', undefined],
      ['vf_a', 'delivered', undefined],
      ['vf_b', 'failed', '131026'],
    ]);
    const payload = JSON.parse(raws[0]?.toString('utf8') ?? '') as { entry: unknown[] };
    expect(payload.entry).toHaveLength(2);
    expect(raws[0]?.toString('utf8')).toContain('https:\\/\\/developers.facebook.com');
  });

  it('makes re-serialised JSON fail the signature', async () => {
    const meta = await fakeWhatsApp();
    const raws: Buffer[] = [];
    await receiver(meta, (_receipts, raw) => raws.push(raw));
    await meta.postSigned({
      body: {
        object: 'whatsapp_business_account',
        entry: [{ id: '1', changes: [{ field: 'messages', value: { name: 'José' } }] }],
      },
    });
    const raw = raws[0] as Buffer;
    expect(raw.toString('utf8')).toContain('Jos\\u00e9');
    const header = whatsappSignature({ appSecret: meta.appSecret, rawBody: raw });
    expect(validateWhatsAppSignature({ appSecret: meta.appSecret, rawBody: raw, header })).toBe(
      true,
    );
    const reserialised = JSON.stringify(JSON.parse(raw.toString('utf8')));
    expect(
      validateWhatsAppSignature({ appSecret: meta.appSecret, rawBody: reserialised, header }),
    ).toBe(false);
  });

  it('can forge bad signatures, which the app refuses', async () => {
    const meta = await fakeWhatsApp();
    await receiver(meta);
    const body = { object: 'whatsapp_business_account', entry: [] };
    expect((await meta.postSigned({ body })).status).toBe(200);
    expect((await meta.postSigned({ body, appSecret: 'another-secret' })).status).toBe(401);
    expect((await meta.postSigned({ body, signature: null })).status).toBe(401);
    expect((await meta.postSigned({ body, signature: 'sha256=zz' })).status).toBe(401);
  });

  it('performs the verify-token handshake', async () => {
    const meta = await fakeWhatsApp();
    await receiver(meta);
    const ok = await meta.verifyWebhook({ verifyToken: VERIFY_TOKEN, challenge: '1158201444' });
    expect(ok.status).toBe(200);
    expect(ok.body).toBe('1158201444');
    expect((await meta.verifyWebhook({ verifyToken: 'wrong' })).status).toBe(403);
  });

  it('feeds a real checkpoint: a delivered status stops the fallback timer', async () => {
    const meta = await fakeWhatsApp();
    await receiver(meta, async (receipts) => {
      for (const receipt of receipts) await checkpoint.recordDelivery(receipt);
    });
    const checkpoint = createCheckpoint({
      secret: 'a-test-secret-of-at-least-32-bytes!!',
      channels: [
        whatsappCloud({
          phoneNumberId: meta.phoneNumberId,
          accessToken: meta.accessToken,
          template: 'login_code',
          baseUrl: meta.url,
        }),
      ],
    });
    const { id } = await checkpoint.send({ to: '+14155550123', purpose: 'login' });
    const wamid = meta.messages[0]?.id as string;
    expect(meta.messages[0]?.bizOpaqueCallbackData).toBe(id);
    await meta.sendStatuses([
      { id: wamid, status: 'delivered' },
      { id: wamid, status: 'sent' },
      { id: 'wamid.unknown', status: 'read' },
    ]);
    const verification = await checkpoint.get(id);
    expect(verification.deliveries.map((d) => d.status)).toEqual(['delivered']);
    await checkpoint.close();
  });

  it('refuses a template message without the copy-code button parameter', async () => {
    const meta = await fakeWhatsApp();
    const response = await fetch(`${meta.url}/v23.0/${meta.phoneNumberId}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${meta.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        messaging_product: 'whatsapp',
        to: '14155550123',
        type: 'template',
        template: {
          name: 'login_code',
          language: { code: 'en_US' },
          components: [{ type: 'body', parameters: [{ type: 'text', text: '123456' }] }],
        },
      }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 132000 } });
  });
});
