import { createCheckpoint } from '@checkpoint/core';
import { afterEach, describe, expect, it } from 'vitest';
import { parseTwilioInbound } from '../../twilio/parseTwilioInbound.js';
import { parseTwilioStatus } from '../../twilio/parseTwilioStatus.js';
import { twilioSms } from '../../twilio/twilioSms.js';
import { twilioVoice } from '../../twilio/twilioVoice.js';
import { validateTwilioSignature } from '../../twilio/validateTwilioSignature.js';
import { type FakeTwilio, startFakeTwilio } from './startFakeTwilio.js';
import { type LoopbackServer, type RecordedRequest, startHttpServer } from '../startHttpServer.js';

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

async function fakeTwilio(): Promise<FakeTwilio> {
  const twilio = await startFakeTwilio();
  stops.push(() => twilio.stop());
  return twilio;
}

/** The app's receiver, framework-free: validates the signature, then hands the form on. */
async function receiver(
  authToken: string,
  handle: (form: URLSearchParams) => unknown = () => undefined,
): Promise<LoopbackServer> {
  const server: LoopbackServer = await startHttpServer(async (request: RecordedRequest) => {
    const form = new URLSearchParams(request.body.toString('utf8'));
    const signature = request.headers['x-twilio-signature'];
    const url = `${server.url}${request.path}${request.query.size > 0 ? `?${request.query.toString()}` : ''}`;
    if (signature === undefined) return { status: 400 };
    if (!validateTwilioSignature({ authToken, url, params: form, signature }))
      return { status: 403 };
    await handle(form);
    return { status: 204 };
  });
  stops.push(() => server.stop());
  return server;
}

describe('startFakeTwilio', () => {
  it('signs message status callbacks that the app validates and parses', async () => {
    const twilio = await fakeTwilio();
    const forms: URLSearchParams[] = [];
    const app = await receiver(twilio.authToken, (form) => forms.push(form));
    const sms = twilioSms({
      accountSid: twilio.accountSid,
      authToken: twilio.authToken,
      from: '+15005550006',
      baseUrl: twilio.url,
      statusCallbackUrl: `${app.url}/twilio/status?tenant=acme`,
    });
    const { providerMessageId } = await sms.send({
      verificationId: 'vf_x',
      to: '+14155550123',
      code: '123456',
      text: 'code 123456',
      locale: 'en',
      purpose: 'login',
      tenantId: 'acme',
      expiresAt: Date.now() + 60_000,
    });

    const answer = await twilio.sendStatus({
      sid: providerMessageId as string,
      status: 'undelivered',
      errorCode: '30003',
    });
    expect(answer.status).toBe(204);
    expect(parseTwilioStatus(forms[0] as URLSearchParams)).toEqual({
      channel: 'sms',
      providerMessageId,
      status: 'undelivered',
      errorCode: '30003',
    });
    expect(forms[0]?.get('AccountSid')).toBe(twilio.accountSid);
  });

  it('signs call status callbacks with a growing sequence number', async () => {
    const twilio = await fakeTwilio();
    const forms: URLSearchParams[] = [];
    const app = await receiver(twilio.authToken, (form) => forms.push(form));
    const voice = twilioVoice({
      accountSid: twilio.accountSid,
      authToken: twilio.authToken,
      from: '+15005550006',
      baseUrl: twilio.url,
      statusCallbackUrl: `${app.url}/twilio/voice`,
    });
    const { providerMessageId } = await voice.send({
      verificationId: 'vf_x',
      to: '+14155550123',
      code: '123456',
      text: '',
      locale: 'en',
      purpose: 'login',
      tenantId: 'acme',
      expiresAt: Date.now() + 60_000,
    });
    await twilio.sendStatus({ sid: providerMessageId as string, status: 'ringing' });
    await twilio.sendStatus({ sid: providerMessageId as string, status: 'completed' });
    expect(forms.map((form) => [form.get('CallStatus'), form.get('SequenceNumber')])).toEqual([
      ['ringing', '0'],
      ['completed', '1'],
    ]);
    expect(parseTwilioStatus(forms[1] as URLSearchParams)?.status).toBe('delivered');
  });

  it('signs inbound messages, which the app reads as keywords', async () => {
    const twilio = await fakeTwilio();
    const forms: URLSearchParams[] = [];
    const app = await receiver(twilio.authToken, (form) => forms.push(form));
    const answer = await twilio.sendInbound({
      url: `${app.url}/twilio/inbound`,
      from: '+14155550123',
      body: ' Stop ',
    });
    expect(answer.status).toBe(204);
    expect(parseTwilioInbound(forms[0] as URLSearchParams)).toMatchObject({
      from: '+14155550123',
      keyword: 'STOP',
    });
  });

  it('can forge bad signatures, which the app refuses', async () => {
    const twilio = await fakeTwilio();
    const app = await receiver(twilio.authToken);
    const params = { MessageSid: `SM${'0'.repeat(32)}`, MessageStatus: 'delivered' };
    const url = `${app.url}/twilio/status`;
    expect((await twilio.postSigned({ url, params })).status).toBe(204);
    expect(
      (await twilio.postSigned({ url, params, signUrl: 'https://evil.example/twilio/status' }))
        .status,
    ).toBe(403);
    expect((await twilio.postSigned({ url, params, authToken: 'another-token' })).status).toBe(403);
    expect((await twilio.postSigned({ url, params, signature: null })).status).toBe(400);
  });

  it('feeds a real checkpoint: a delivered receipt stops the fallback, a failed one escalates', async () => {
    const twilio = await fakeTwilio();
    const app = await receiver(twilio.authToken, async (form) => {
      const receipt = parseTwilioStatus(form);
      if (receipt !== undefined) await checkpoint.recordDelivery(receipt);
    });
    const common = {
      accountSid: twilio.accountSid,
      authToken: twilio.authToken,
      from: '+15005550006',
      baseUrl: twilio.url,
    };
    const checkpoint = createCheckpoint({
      secret: 'a-test-secret-of-at-least-32-bytes!!',
      channels: [
        twilioSms({ ...common, statusCallbackUrl: `${app.url}/twilio/status` }),
        twilioVoice({ ...common, statusCallbackUrl: `${app.url}/twilio/voice` }),
      ],
    });
    const { id } = await checkpoint.send({ to: '+14155550123', purpose: 'login' });
    const [message] = twilio.messages;
    await twilio.sendStatus({ sid: message?.sid as string, status: 'sent' });
    await twilio.sendStatus({ sid: message?.sid as string, status: 'failed', errorCode: '30008' });

    const verification = await checkpoint.get(id);
    expect(verification.channel).toBe('voice');
    expect(verification.deliveries.map((d) => [d.channel, d.status])).toEqual([
      ['sms', 'failed'],
      ['voice', 'queued'],
    ]);
    expect(twilio.calls).toHaveLength(1);
    await checkpoint.close();
  });

  it('closes hanging requests when it stops', async () => {
    const twilio = await startFakeTwilio();
    twilio.failNext('timeout');
    const hanging = fetch(`${twilio.url}/2010-04-01/Accounts/${twilio.accountSid}/Messages.json`, {
      method: 'POST',
      body: '',
    }).then(
      () => 'answered',
      () => 'closed',
    );
    while (twilio.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await twilio.stop();
    expect(await hanging).toBe('closed');
  });

  it('answers unknown paths with a Twilio 404 body', async () => {
    const twilio = await fakeTwilio();
    const response = await fetch(
      `${twilio.url}/2010-04-01/Accounts/${twilio.accountSid}/Nope.json`,
      { method: 'POST' },
    );
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 20404, status: 404 });
  });
});
