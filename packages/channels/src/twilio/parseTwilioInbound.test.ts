import { isCheckpointError } from '@checkpoint/core';
import { describe, expect, it } from 'vitest';
import { parseTwilioInbound } from './parseTwilioInbound.js';

const SM = `SM${'c3'.repeat(16)}`;
const inbound = (Body: string, extra: Record<string, string> = {}) => ({
  MessageSid: SM,
  From: '+14155550123',
  To: '+15005550006',
  Body,
  ...extra,
});

describe('parseTwilioInbound', () => {
  it.each([
    ['STOP', 'STOP'],
    ['stopall', 'STOP'],
    ['Unsubscribe', 'STOP'],
    ['cancel', 'STOP'],
    ['END', 'STOP'],
    ['quit', 'STOP'],
    ['HELP', 'HELP'],
    ['info', 'HELP'],
    ['Start', 'START'],
    ['yes', 'START'],
    ['UNSTOP', 'START'],
    ['  stop \n', 'STOP'],
  ])('reads %j as %s', (body, keyword) => {
    expect(parseTwilioInbound(inbound(body)).keyword).toBe(keyword);
  });

  it.each(['please stop', 'STOP!', 'stopp', '', 'S T O P', 'hello'])(
    'sees no keyword in %j',
    (body) => {
      expect(parseTwilioInbound(inbound(body)).keyword).toBeUndefined();
    },
  );

  it('returns sender, recipient, body and message SID', () => {
    expect(parseTwilioInbound(inbound('Hi'))).toEqual({
      from: '+14155550123',
      to: '+15005550006',
      body: 'Hi',
      keyword: undefined,
      messageSid: SM,
    });
  });

  it("trusts Twilio's own OptOutType classification", () => {
    expect(parseTwilioInbound(inbound('arret', { OptOutType: 'STOP' })).keyword).toBe('STOP');
    expect(parseTwilioInbound(inbound('stop', { OptOutType: 'bogus' })).keyword).toBe('STOP');
  });

  it('refuses a webhook without a sender', () => {
    let error: unknown;
    try {
      parseTwilioInbound({ Body: 'STOP' });
    } catch (caught) {
      error = caught;
    }
    expect(isCheckpointError(error) && error.code).toBe('invalid_request');
  });
});
