import { createCheckpoint, outboxChannel } from '@checkpoint/core';
import { describe, expect, it } from 'vitest';
import { TEST_SECRET } from '../testing/otpTestApp.js';
import type { OtpRouterOptions } from './OtpRouterOptions.js';
import { otpRouter } from './otpRouter.js';

const checkpoint = createCheckpoint({ secret: TEST_SECRET, channels: [outboxChannel()] });

describe('otpRouter options', () => {
  it('requires a secret of at least 32 bytes and says what to pass', () => {
    expect(() => otpRouter(checkpoint, { secret: undefined })).toThrow(/requires `secret`/);
    expect(() => otpRouter(checkpoint, { secret: 'short' })).toThrow(/at least 32 bytes/);
    expect(() => otpRouter(checkpoint, { secret: [{ id: 'a', key: TEST_SECRET }] })).not.toThrow();
  });

  it('requires a checkpoint and an options object', () => {
    expect(() => otpRouter(undefined as never, { secret: TEST_SECRET })).toThrow(TypeError);
    expect(() => otpRouter(checkpoint, undefined as never)).toThrow(/requires options/);
  });

  it('refuses malformed options with a TypeError that names them', () => {
    const bad: Array<[Partial<OtpRouterOptions>, RegExp]> = [
      [{ subject: 'user' as never }, /`subject` must be a function/],
      [{ purposes: [] }, /`purposes` must be a non-empty array/],
      [{ channels: [''] }, /`channels` must be a non-empty array/],
      [{ failedChecks: { perIp: { limit: 0, windowSeconds: 60 } } }, /failedChecks.perIp/],
      [
        { failedChecks: { perSubject: { limit: 1, windowSeconds: 1.5 } } },
        /failedChecks.perSubject/,
      ],
      [{ decoyRetainSeconds: -1 }, /decoyRetainSeconds/],
    ];
    for (const [options, message] of bad) {
      expect(() => otpRouter(checkpoint, { secret: TEST_SECRET, ...options })).toThrow(message);
    }
  });

  it('accepts false to turn a failed-check limit off', () => {
    expect(() =>
      otpRouter(checkpoint, {
        secret: TEST_SECRET,
        failedChecks: { perIp: false, perSubject: false },
      }),
    ).not.toThrow();
  });
});
