import { isCheckpointError } from '@checkpoint/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { channelMessage, rejectionOf } from '../fixtures/channelMessage.js';
import { type FakeWhatsApp, startFakeWhatsApp } from '../testing/whatsapp/startFakeWhatsApp.js';
import { type WhatsAppCloudOptions, whatsappCloud } from './whatsappCloud.js';

let meta: FakeWhatsApp;
beforeEach(async () => {
  meta = await startFakeWhatsApp();
});
afterEach(async () => {
  await meta.stop();
});

function whatsapp(overrides: Partial<WhatsAppCloudOptions> = {}) {
  return whatsappCloud({
    phoneNumberId: meta.phoneNumberId,
    accessToken: meta.accessToken,
    template: 'acme_login_code',
    baseUrl: meta.url,
    timeoutMs: 2_000,
    ...overrides,
  });
}

describe('whatsappCloud', () => {
  it('sends the authentication template with the code in the body and the copy-code button', async () => {
    const message = channelMessage({ code: '408213' });
    const result = await whatsapp().send(message);

    expect(result).toEqual({ providerMessageId: meta.messages[0]?.id, status: 'queued' });
    expect(result.providerMessageId).toMatch(/^wamid\./);
    const [request] = meta.requests;
    expect(request?.path).toBe(`/v23.0/${meta.phoneNumberId}/messages`);
    expect(request?.headers.authorization).toBe(`Bearer ${meta.accessToken}`);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(meta.messages[0]?.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '14155550123',
      type: 'template',
      biz_opaque_callback_data: message.verificationId,
      template: {
        name: 'acme_login_code',
        language: { code: 'en_US' },
        components: [
          { type: 'body', parameters: [{ type: 'text', text: '408213' }] },
          {
            type: 'button',
            sub_type: 'url',
            index: '0',
            parameters: [{ type: 'text', text: '408213' }],
          },
        ],
      },
    });
  });

  it('picks the template language for the locale', async () => {
    const channel = whatsapp({ language: { en: 'en_US', es: 'es_MX' }, apiVersion: 'v21.0' });
    await channel.send(channelMessage({ locale: 'es-AR' }));
    await channel.send(channelMessage({ locale: 'de' }));
    expect(meta.messages.map((m) => m.template.language)).toEqual(['es_MX', 'en_US']);
    expect(meta.requests[0]?.path).toBe(`/v21.0/${meta.phoneNumberId}/messages`);
  });

  it('retries once after a 500 and succeeds', async () => {
    meta.failNext('server_error');
    await whatsapp().send(channelMessage());
    expect(meta.requests).toHaveLength(2);
    expect(meta.messages).toHaveLength(1);
  });

  it('fails as channel_unavailable when the API does not answer in time', async () => {
    meta.failNext('timeout');
    const error = await rejectionOf(whatsapp({ timeoutMs: 150 }).send(channelMessage()));
    expect(isCheckpointError(error) && error.code).toBe('channel_unavailable');
    expect(isCheckpointError(error) && error.reasons).toEqual(['whatsapp:timeout']);
  });

  it('maps a recipient that cannot get WhatsApp messages (131026) to invalid_number', async () => {
    meta.failNext('invalid_number');
    const error = await rejectionOf(whatsapp().send(channelMessage()));
    expect(isCheckpointError(error) && error.code).toBe('invalid_number');
    expect(isCheckpointError(error) && error.reasons).toEqual(['whatsapp:131026', 'http:400']);
    expect((error as Error).message).not.toContain('4155550123');
  });

  it('maps an expired token (401) to channel_unavailable without revealing it', async () => {
    const error = await rejectionOf(
      whatsapp({ accessToken: 'EAAGexpired' }).send(channelMessage()),
    );
    expect(isCheckpointError(error) && error.code).toBe('channel_unavailable');
    expect(isCheckpointError(error) && error.reasons).toEqual(['whatsapp:190', 'http:401']);
    expect((error as Error).message).not.toContain('EAAGexpired');
    expect(meta.requests).toHaveLength(1);
  });

  it('does not retry a 400', async () => {
    meta.failNext('bad_request');
    const error = await rejectionOf(whatsapp().send(channelMessage()));
    expect(isCheckpointError(error) && error.code).toBe('channel_unavailable');
    expect(isCheckpointError(error) && error.reasons).toEqual(['whatsapp:132001', 'http:400']);
    expect(meta.requests).toHaveLength(1);
  });

  it('refuses a code longer than Meta allows before calling it', async () => {
    const error = await rejectionOf(whatsapp().send(channelMessage({ code: '1'.repeat(16) })));
    expect(isCheckpointError(error) && error.code).toBe('invalid_request');
    expect(meta.requests).toHaveLength(0);
  });

  it('refuses incomplete options at construction', () => {
    const base = { phoneNumberId: '123', accessToken: 't', template: 'x' };
    expect(() => whatsappCloud({ ...base, template: '' })).toThrow(/template/);
    expect(() => whatsappCloud({ ...base, phoneNumberId: '+1555' })).toThrow(/phoneNumberId/);
    expect(() => whatsappCloud({ ...base, apiVersion: '23' })).toThrow(/apiVersion/);
    expect(() => whatsappCloud({ ...base, baseUrl: 'graph.facebook.com' })).toThrow(/baseUrl/);
  });
});
