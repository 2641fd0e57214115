import { isCheckpointError } from '@checkpoint/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { channelMessage, rejectionOf } from '../fixtures/channelMessage.js';
import { type FakeTwilio, startFakeTwilio } from '../testing/twilio/startFakeTwilio.js';
import { type TwilioSmsOptions, twilioSms } from './twilioSms.js';

let twilio: FakeTwilio;
beforeEach(async () => {
  twilio = await startFakeTwilio();
});
afterEach(async () => {
  await twilio.stop();
});

function sms(overrides: Partial<TwilioSmsOptions> = {}) {
  return twilioSms({
    accountSid: twilio.accountSid,
    authToken: twilio.authToken,
    from: '+15005550006',
    statusCallbackUrl: 'https://console.acme.example/hooks/twilio/status',
    baseUrl: twilio.url,
    timeoutMs: 2_000,
    ...overrides,
  });
}

describe('twilioSms', () => {
  it('posts the rendered text to the Messages API with Basic auth and returns the SID', async () => {
    const message = channelMessage();
    const result = await sms().send(message);

    expect(result).toEqual({ providerMessageId: twilio.messages[0]?.sid, status: 'queued' });
    expect(result.providerMessageId).toMatch(/^SM[0-9a-f]{32}$/);
    const [request] = twilio.requests;
    expect(request?.path).toBe(`/2010-04-01/Accounts/${twilio.accountSid}/Messages.json`);
    expect(request?.headers.authorization).toBe(
      `Basic ${Buffer.from(`${twilio.accountSid}:${twilio.authToken}`).toString('base64')}`,
    );
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const form = twilio.messages[0]?.form;
    expect(form?.get('To')).toBe('+14155550123');
    expect(form?.get('From')).toBe('+15005550006');
    expect(form?.get('Body')).toBe(message.text);
    expect(form?.get('StatusCallback')).toBe('https://console.acme.example/hooks/twilio/status');
    expect(form?.has('MessagingServiceSid')).toBe(false);
  });

  it('lets Twilio drop the message once the code has expired (ValidityPeriod)', async () => {
    await sms({ now: () => 1_000_000 }).send(channelMessage({ expiresAt: 1_000_000 + 300_000 }));
    expect(twilio.messages[0]?.validityPeriod).toBe(300);
    await sms({ now: () => 1_000_000 }).send(channelMessage({ expiresAt: 1_000_000 + 400 }));
    expect(twilio.messages[1]?.validityPeriod).toBe(1);
  });

  it('sends through a Messaging Service, whose accepted status is queued', async () => {
    const messagingServiceSid = `MG${'0a'.repeat(16)}`;
    const result = await sms({ from: undefined, messagingServiceSid }).send(channelMessage());
    expect(result.status).toBe('queued');
    expect(twilio.messages[0]?.form.get('MessagingServiceSid')).toBe(messagingServiceSid);
    expect(twilio.messages[0]?.form.has('From')).toBe(false);
  });

  it('retries once after a 500 and succeeds', async () => {
    twilio.failNext('server_error');
    const result = await sms().send(channelMessage());
    expect(result.providerMessageId).toBe(twilio.messages[0]?.sid);
    expect(twilio.requests).toHaveLength(2);
    expect(twilio.messages).toHaveLength(1);
  });

  it('retries a 429', async () => {
    twilio.failNext('rate_limited');
    await sms().send(channelMessage());
    expect(twilio.requests).toHaveLength(2);
  });

  it('fails as channel_unavailable when Twilio keeps failing', async () => {
    twilio.failNext('unavailable', 'unavailable', 'unavailable');
    const error = await rejectionOf(sms({ retries: 2 }).send(channelMessage()));
    expect(isCheckpointError(error) && error.code).toBe('channel_unavailable');
    expect(isCheckpointError(error) && error.reasons).toEqual(['twilio:20503', 'http:503']);
    expect(twilio.requests).toHaveLength(3);
  });

  it('fails as channel_unavailable when Twilio does not answer in time', async () => {
    twilio.failNext('timeout');
    const error = await rejectionOf(sms({ timeoutMs: 150 }).send(channelMessage()));
    expect(isCheckpointError(error) && error.code).toBe('channel_unavailable');
    expect(isCheckpointError(error) && error.reasons).toEqual(['twilio:timeout']);
    expect((error as Error).message).toContain('Twilio SMS did not answer within 150 ms');
  });

  it('maps an invalid number (21211) to invalid_number, the number masked', async () => {
    twilio.failNext('invalid_number');
    const error = await rejectionOf(sms().send(channelMessage()));
    expect(isCheckpointError(error) && error.code).toBe('invalid_number');
    expect(isCheckpointError(error) && error.reasons).toEqual(['twilio:21211', 'http:400']);
    expect((error as Error).message).toContain('+*********23');
    expect((error as Error).message).not.toContain('4155550123');
  });

  it('maps a number that is not mobile (21614) to invalid_number', async () => {
    twilio.failNext('not_mobile');
    const error = await rejectionOf(sms().send(channelMessage()));
    expect(isCheckpointError(error) && error.code).toBe('invalid_number');
    expect((error as Error).message).toContain('is not a mobile number');
  });

  it('answers an invalid number found by the fake itself the same way', async () => {
    const error = await rejectionOf(sms().send(channelMessage({ to: '4155550123' })));
    expect(isCheckpointError(error) && error.code).toBe('invalid_number');
  });

  it('maps refused credentials (401) to channel_unavailable without revealing them', async () => {
    const error = await rejectionOf(sms({ authToken: 'wrong-token-0123' }).send(channelMessage()));
    expect(isCheckpointError(error) && error.code).toBe('channel_unavailable');
    expect(isCheckpointError(error) && error.reasons).toEqual(['twilio:20003', 'http:401']);
    expect((error as Error).message).toContain('refused the credentials');
    expect((error as Error).message).not.toContain('wrong-token-0123');
    expect((error as Error).message).not.toContain(twilio.accountSid);
    expect(twilio.requests).toHaveLength(1);
  });

  it('does not retry a 400', async () => {
    twilio.failNext('bad_request');
    const error = await rejectionOf(sms().send(channelMessage()));
    expect(isCheckpointError(error) && error.code).toBe('channel_unavailable');
    expect(isCheckpointError(error) && error.reasons).toEqual(['twilio:21606', 'http:400']);
    expect(twilio.requests).toHaveLength(1);
  });

  it('refuses incomplete options at construction', () => {
    const base = { accountSid: twilio.accountSid, authToken: 'x', from: '+15005550006' };
    expect(() => twilioSms({ ...base, from: undefined })).toThrow(/`from`.*`messagingServiceSid`/);
    expect(() => twilioSms({ ...base, accountSid: 'nope' })).toThrow(/accountSid/);
    expect(() => twilioSms({ ...base, authToken: '' })).toThrow(/authToken/);
    expect(() => twilioSms({ ...base, statusCallbackUrl: '/relative' })).toThrow(
      /statusCallbackUrl/,
    );
    expect(() => twilioSms({ ...base, retries: 9 })).toThrow(/retries/);
    expect(() => twilioSms({ ...base, timeoutMs: 0 })).toThrow(/timeoutMs/);
  });
});
