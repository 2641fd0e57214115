import { isCheckpointError } from '@checkpoint/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { channelMessage, rejectionOf } from '../fixtures/channelMessage.js';
import { type FakeTwilio, startFakeTwilio } from '../testing/twilio/startFakeTwilio.js';
import { type TwilioVoiceOptions, twilioVoice } from './twilioVoice.js';

let twilio: FakeTwilio;
beforeEach(async () => {
  twilio = await startFakeTwilio();
});
afterEach(async () => {
  await twilio.stop();
});

function voice(overrides: Partial<TwilioVoiceOptions> = {}) {
  return twilioVoice({
    accountSid: twilio.accountSid,
    authToken: twilio.authToken,
    from: '+15005550006',
    appName: 'Acme',
    statusCallbackUrl: 'https://console.acme.example/hooks/twilio/voice',
    baseUrl: twilio.url,
    timeoutMs: 2_000,
    ...overrides,
  });
}

describe('twilioVoice', () => {
  it('places a call whose TwiML reads the code digit by digit and repeats it', async () => {
    const result = await voice().send(channelMessage({ code: '408213' }));

    expect(result).toEqual({ providerMessageId: twilio.calls[0]?.sid, status: 'queued' });
    expect(result.providerMessageId).toMatch(/^CA[0-9a-f]{32}$/);
    const [request] = twilio.requests;
    expect(request?.path).toBe(`/2010-04-01/Accounts/${twilio.accountSid}/Calls.json`);
    expect(request?.headers.authorization).toBe(
      `Basic ${Buffer.from(`${twilio.accountSid}:${twilio.authToken}`).toString('base64')}`,
    );
    const call = twilio.calls[0];
    expect(call?.to).toBe('+14155550123');
    expect(call?.from).toBe('+15005550006');
    expect(call?.twiml).toContain('<Say language="en-US">Your Acme verification code is</Say>');
    expect(call?.twiml?.split('>4. 0. 8. 2. 1. 3.</Say>')).toHaveLength(4);
    expect(call?.statusCallback).toBe('https://console.acme.example/hooks/twilio/voice');
    expect(call?.statusCallbackEvents).toEqual(['initiated', 'ringing', 'answered', 'completed']);
    expect(call?.form.get('StatusCallbackMethod')).toBe('POST');
    expect(call?.form.get('Timeout')).toBe('30');
    expect(call?.form.get('TimeLimit')).toBe('120');
  });

  it('speaks the message locale, with the voice and language configured', async () => {
    await voice({ voice: 'Polly.Mia', languages: { es: 'es-MX' } }).send(
      channelMessage({ locale: 'es-MX' }),
    );
    expect(twilio.calls[0]?.twiml).toContain(
      '<Say language="es-MX" voice="Polly.Mia">Tu código de verificación de Acme es</Say>',
    );
  });

  it('XML-escapes what it puts in the TwiML', async () => {
    await voice({ appName: 'R&D <Console>' }).send(channelMessage());
    expect(twilio.calls[0]?.twiml).toContain('R&amp;D &lt;Console&gt;');
  });

  it('retries once after a 500 and succeeds', async () => {
    twilio.failNext('server_error');
    await voice().send(channelMessage());
    expect(twilio.requests).toHaveLength(2);
    expect(twilio.calls).toHaveLength(1);
  });

  it('fails as channel_unavailable when Twilio does not answer in time', async () => {
    twilio.failNext('timeout');
    const error = await rejectionOf(voice({ timeoutMs: 150 }).send(channelMessage()));
    expect(isCheckpointError(error) && error.code).toBe('channel_unavailable');
    expect((error as Error).message).toContain('Twilio Voice did not answer');
  });

  it('maps an invalid number to invalid_number', async () => {
    const error = await rejectionOf(voice().send(channelMessage({ to: '555' })));
    expect(isCheckpointError(error) && error.code).toBe('invalid_number');
    expect(isCheckpointError(error) && error.reasons).toEqual(['twilio:21217', 'http:400']);
  });

  it('maps a 401 to channel_unavailable', async () => {
    twilio.failNext('unauthorized');
    const error = await rejectionOf(voice().send(channelMessage()));
    expect(isCheckpointError(error) && error.code).toBe('channel_unavailable');
    expect(isCheckpointError(error) && error.reasons).toEqual(['twilio:20003', 'http:401']);
  });

  it('does not retry a 400', async () => {
    twilio.failNext('bad_request');
    await rejectionOf(voice().send(channelMessage()));
    expect(twilio.requests).toHaveLength(1);
  });

  it('refuses a missing caller number or a silly repeat count', () => {
    const base = { accountSid: twilio.accountSid, authToken: 'x', from: '+15005550006' };
    expect(() => twilioVoice({ ...base, from: '' })).toThrow(/`from`/);
    expect(() => twilioVoice({ ...base, repeat: 0 })).toThrow(/repeat/);
  });
});
