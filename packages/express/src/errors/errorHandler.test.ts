import { CheckpointError, type CheckpointErrorCode, ERROR_STATUS } from '@checkpoint/core';
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { answer, captureLogger } from '../testing/otpTestApp.js';
import { errorHandler } from './errorHandler.js';
import { HTTP_STATUS } from './httpStatus.js';

function appThrowing(error: unknown, logger = captureLogger()) {
  const app = express();
  app.post('/json', express.json({ limit: 50 }), (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/boom', () => {
    throw error;
  });
  app.get('/async', async () => {
    await Promise.resolve();
    throw error;
  });
  app.use(errorHandler({ logger }));
  return { app, logger };
}

describe('errorHandler', () => {
  it('answers an unexpected Error with 500 internal_error, without its message or stack, and logs it', async () => {
    const { app, logger } = appThrowing(new Error('db password is hunter2'));
    const res = await request(app).get('/boom');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: 'internal_error', message: 'an internal error occurred' });
    expect(res.text).not.toContain('hunter2');
    expect(res.text).not.toContain('at ');
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]).toContain('hunter2');
  });

  it('answers a rejected async handler and a thrown non-Error the same way', async () => {
    const { app } = appThrowing(new TypeError('x is undefined'));
    expect(answer(await request(app).get('/async')).error).toBe('internal_error');
    const { app: other } = appThrowing('a string');
    expect((await request(other).get('/boom')).status).toBe(500);
  });

  it('answers a CheckpointError with its status and toJSON body', async () => {
    const { app, logger } = appThrowing(
      new CheckpointError('country_blocked', 'codes cannot be sent to this country'),
    );
    const res = await request(app).get('/boom');
    expect(res.status).toBe(403);
    expect(res.body).toEqual({
      error: 'country_blocked',
      message: 'codes cannot be sent to this country',
    });
    expect(res.headers['retry-after']).toBeUndefined();
    expect(logger.lines).toHaveLength(0);
  });

  it('adds a Retry-After header to 429', async () => {
    const { app } = appThrowing(
      new CheckpointError('rate_limited', 'slow down', { retryAfter: 12.2 }),
    );
    const res = await request(app).get('/boom');
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('13');
    expect(res.body).toEqual({ error: 'rate_limited', message: 'slow down', retryAfter: 13 });
  });

  it('maps body-parser failures to 400, 413 and 415 JSON', async () => {
    const { app } = appThrowing(new Error('unused'));
    const malformed = await request(app)
      .post('/json')
      .set('Content-Type', 'application/json')
      .send('{"a":');
    expect(malformed.status).toBe(400);
    expect(answer(malformed).error).toBe('invalid_request');
    expect(malformed.text).not.toContain('Unexpected');
    const large = await request(app)
      .post('/json')
      .send({ a: 'x'.repeat(100) });
    expect(large.status).toBe(413);
    expect(answer(large).error).toBe('payload_too_large');
    const charset = await request(app)
      .post('/json')
      .set('Content-Type', 'application/json; charset=latin1')
      .send('{}');
    expect(charset.status).toBe(415);
    expect(answer(charset).error).toBe('unsupported_media_type');
  });

  it.each([
    [{ status: 400 }, 400, 'invalid_request'],
    [{ statusCode: 400, code: 'Z_DATA_ERROR', errno: -3 }, 400, 'invalid_request'],
    [{ status: 404 }, 400, 'invalid_request'],
    [{ status: 413 }, 413, 'payload_too_large'],
    [{ statusCode: 415 }, 415, 'unsupported_media_type'],
    [{ status: 400, type: 'entity.unknown.to.us' }, 400, 'invalid_request'],
  ])('answers an error carrying %j as a client error, never 500', async (fields, status, code) => {
    const { app, logger } = appThrowing(
      Object.assign(new Error('incorrect header check'), { expose: true }, fields),
    );
    const res = await request(app).get('/boom');
    expect(res.status).toBe(status);
    expect(res.body).toEqual({ error: code, message: expect.any(String) as string });
    expect(logger.lines).toHaveLength(0);
  });

  it.each([[{ status: 503 }], [{ status: '400' }], [{ status: 399 }], [{ status: 400.5 }]])(
    'answers an error carrying %j as 500 internal_error',
    async (fields) => {
      const { app } = appThrowing(Object.assign(new Error('x'), fields));
      expect((await request(app).get('/boom')).status).toBe(500);
    },
  );

  it('answers from one status table that agrees with every CheckpointError status', () => {
    for (const code of Object.keys(ERROR_STATUS) as CheckpointErrorCode[]) {
      expect(HTTP_STATUS[code]).toBe(new CheckpointError(code, 'x').status);
    }
  });
});
