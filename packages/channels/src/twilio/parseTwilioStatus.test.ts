import { isCheckpointError } from '@checkpoint/core';
import { describe, expect, it } from 'vitest';
import { parseTwilioStatus } from './parseTwilioStatus.js';

const SM = `SM${'a1'.repeat(16)}`;
const CA = `CA${'b2'.repeat(16)}`;

function message(status: string, extra: Record<string, string> = {}) {
  return {
    AccountSid: `AC${'0'.repeat(32)}`,
    MessageSid: SM,
    MessageStatus: status,
    SmsSid: SM,
    SmsStatus: status,
    To: '+14155550123',
    ...extra,
  };
}

describe('parseTwilioStatus', () => {
  it.each([
    ['queued', 'queued'],
    ['accepted', 'queued'],
    ['scheduled', 'queued'],
    ['sending', 'sending'],
    ['sent', 'sent'],
    ['delivered', 'delivered'],
    ['read', 'read'],
    ['undelivered', 'undelivered'],
    ['failed', 'failed'],
    ['canceled', 'canceled'],
    ['partially_delivered', 'sent'],
  ])('maps MessageStatus %s to %s', (twilio, core) => {
    expect(parseTwilioStatus(message(twilio))).toEqual({
      channel: 'sms',
      providerMessageId: SM,
      status: core,
    });
  });

  it.each([
    ['queued', 'queued'],
    ['initiated', 'sending'],
    ['ringing', 'sending'],
    ['in-progress', 'sent'],
    ['completed', 'delivered'],
    ['busy', 'undelivered'],
    ['no-answer', 'undelivered'],
    ['failed', 'failed'],
    ['canceled', 'canceled'],
  ])('maps CallStatus %s to %s', (twilio, core) => {
    expect(
      parseTwilioStatus({ CallSid: CA, CallStatus: twilio, Direction: 'outbound-api' }),
    ).toEqual({
      channel: 'voice',
      providerMessageId: CA,
      status: core,
    });
  });

  it('carries the error code of a failed delivery', () => {
    expect(parseTwilioStatus(message('undelivered', { ErrorCode: '30003' }))).toEqual({
      channel: 'sms',
      providerMessageId: SM,
      status: 'undelivered',
      errorCode: '30003',
    });
  });

  it('drops an error code that is not a number', () => {
    expect(parseTwilioStatus(message('failed', { ErrorCode: 'x'.repeat(80) }))).not.toHaveProperty(
      'errorCode',
    );
  });

  it('uses the channel name it is given', () => {
    expect(parseTwilioStatus(message('sent'), { channel: 'sms-eu' })?.channel).toBe('sms-eu');
  });

  it('reads the legacy SmsSid / SmsStatus pair and URLSearchParams', () => {
    const form = new URLSearchParams({ SmsSid: SM, SmsStatus: 'delivered' });
    expect(parseTwilioStatus(form)?.status).toBe('delivered');
  });

  it('returns undefined for statuses that are no receipt of an outbound message', () => {
    expect(parseTwilioStatus(message('received'))).toBeUndefined();
    expect(parseTwilioStatus(message('constructor'))).toBeUndefined();
    expect(parseTwilioStatus({ CallSid: CA, CallStatus: 'toString' })).toBeUndefined();
  });

  it('refuses what is not a status callback as invalid_request', () => {
    for (const params of [
      {},
      { MessageSid: SM },
      { CallStatus: 'completed' },
      message('sent', { MessageSid: 'SM1' }),
    ]) {
      let error: unknown;
      try {
        parseTwilioStatus(params);
      } catch (caught) {
        error = caught;
      }
      expect(isCheckpointError(error) && error.code).toBe('invalid_request');
    }
  });
});
