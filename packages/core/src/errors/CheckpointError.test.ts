import { describe, expect, it } from 'vitest';
import {
  CheckpointError,
  type CheckpointErrorCode,
  ERROR_STATUS,
  invalidRequest,
  isCheckpointError,
} from './CheckpointError.js';

describe('CheckpointError', () => {
  it.each<[CheckpointErrorCode, number]>([
    ['invalid_request', 400],
    ['invalid_number', 400],
    ['not_found', 404],
    ['rate_limited', 429],
    ['country_blocked', 403],
    ['fraud_detected', 403],
    ['channel_unavailable', 503],
    ['store_unavailable', 503],
  ])('gives %s the HTTP status %i', (code, status) => {
    expect(ERROR_STATUS[code]).toBe(status);
    const error = new CheckpointError(code, 'message');
    expect(error.status).toBe(status);
    expect(error.code).toBe(code);
  });

  it("has exactly DESIGN.md's eight codes plus authentication_failed and idp_unavailable (passkeys, SSO)", () => {
    expect(Object.keys(ERROR_STATUS).sort()).toEqual([
      'authentication_failed',
      'channel_unavailable',
      'country_blocked',
      'fraud_detected',
      'idp_unavailable',
      'invalid_number',
      'invalid_request',
      'not_found',
      'rate_limited',
      'store_unavailable',
    ]);
  });

  it('is an Error named CheckpointError with the given message', () => {
    const error = new CheckpointError('not_found', 'no such verification');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('CheckpointError');
    expect(error.message).toBe('no such verification');
    expect(error.stack).toContain('no such verification');
  });

  it.each([
    [0.2, 1],
    [1, 1],
    [1.01, 2],
    [29.5, 30],
    [30, 30],
    [0, 1],
    [-5, 1],
  ])('rounds a retryAfter of %s up to %i seconds, never below 1', (given, expected) => {
    expect(new CheckpointError('rate_limited', 'slow down', { retryAfter: given }).retryAfter).toBe(
      expected,
    );
  });

  it('leaves retryAfter undefined when none is given', () => {
    expect(new CheckpointError('rate_limited', 'slow down').retryAfter).toBeUndefined();
  });

  it('keeps reasons, the audit event id and the cause', () => {
    const cause = new Error('ECONNREFUSED');
    const error = new CheckpointError('store_unavailable', 'store down', {
      reasons: ['redis:timeout'],
      auditEventId: 'ae_1',
      cause,
    });
    expect(error.reasons).toEqual(['redis:timeout']);
    expect(error.auditEventId).toBe('ae_1');
    expect(error.cause).toBe(cause);
  });

  it('defaults reasons to an empty list and sets no cause', () => {
    const error = new CheckpointError('invalid_request', 'bad');
    expect(error.reasons).toEqual([]);
    expect('cause' in error).toBe(false);
    expect(error.auditEventId).toBeUndefined();
  });

  it('serialises to { error, message } without a retryAfter key when there is none', () => {
    const json = new CheckpointError('not_found', 'no such verification').toJSON();
    expect(json).toStrictEqual({ error: 'not_found', message: 'no such verification' });
    expect(Object.keys(json)).toEqual(['error', 'message']);
  });

  it('serialises to { error, message, retryAfter } when it has one', () => {
    const error = new CheckpointError('rate_limited', 'slow down', { retryAfter: 12.3 });
    expect(error.toJSON()).toStrictEqual({
      error: 'rate_limited',
      message: 'slow down',
      retryAfter: 13,
    });
  });

  it('keeps reasons, audit ids and causes out of JSON sent to clients', () => {
    const error = new CheckpointError('fraud_detected', 'refused', {
      reasons: ['pumping:prefix'],
      auditEventId: 'ae_2',
      cause: new Error('internal detail'),
    });
    const body = JSON.stringify(error);
    expect(JSON.parse(body)).toStrictEqual({ error: 'fraud_detected', message: 'refused' });
    expect(body).not.toContain('pumping');
    expect(body).not.toContain('internal detail');
  });
});

describe('invalidRequest', () => {
  it('makes an invalid_request CheckpointError with status 400', () => {
    const error = invalidRequest('`to` is required');
    expect(error).toBeInstanceOf(CheckpointError);
    expect(error.code).toBe('invalid_request');
    expect(error.status).toBe(400);
    expect(error.message).toBe('`to` is required');
  });
});

describe('isCheckpointError', () => {
  it('returns true for instances', () => {
    expect(isCheckpointError(new CheckpointError('rate_limited', 'slow down'))).toBe(true);
  });

  it('returns true for an equivalent error from another copy of the package', () => {
    const foreign = Object.assign(new Error('slow down'), {
      name: 'CheckpointError',
      code: 'rate_limited',
    });
    expect(foreign).not.toBeInstanceOf(CheckpointError);
    expect(isCheckpointError(foreign)).toBe(true);
  });

  it('returns false for a plain Error', () => {
    expect(isCheckpointError(new Error('boom'))).toBe(false);
    expect(isCheckpointError(Object.assign(new Error('boom'), { code: 'rate_limited' }))).toBe(
      false,
    );
  });

  it('returns false for an error named CheckpointError with an unknown or missing code', () => {
    const named = (code: unknown) =>
      Object.assign(new Error('x'), { name: 'CheckpointError', code });
    expect(isCheckpointError(named('teapot'))).toBe(false);
    expect(isCheckpointError(named(undefined))).toBe(false);
    expect(isCheckpointError(named(429))).toBe(false);
    // Inherited names must not pass for codes.
    expect(isCheckpointError(named('toString'))).toBe(false);
    expect(isCheckpointError(named('__proto__'))).toBe(false);
  });

  it.each([
    undefined,
    null,
    'CheckpointError',
    429,
    { name: 'CheckpointError', code: 'not_found', message: 'not an Error' },
  ])('returns false for the non-error %j', (value) => {
    expect(isCheckpointError(value)).toBe(false);
  });
});
