// Threat: a body whose Content-Encoding lies turns every body-parsing route into a 500 on demand.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { createCheckpoint, MemoryStore, outboxChannel } from '@checkpoint/core';
import { generateWebhookSecret } from '@checkpoint/webhooks';
import express from 'express';
import session from 'express-session';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { otpRouter } from '../otp/otpRouter.js';
import { providerWebhooks } from '../receivers/providerWebhooks.js';
import { webhookReceiver } from '../receivers/webhookReceiver.js';
import { createStepUp } from '../stepUp/createStepUp.js';
import { captureLogger, TEST_SECRET } from '../testing/otpTestApp.js';

/** Every route of this package that parses a request body, and the media type it expects. */
const ROUTES = [
  ['otpRouter POST /send', '/otp/send', 'application/json'],
  ['otpRouter POST /check', '/otp/check', 'application/json'],
  ['otpRouter POST /:id/resend', '/otp/vf_x/resend', 'application/json'],
  [
    'providerWebhooks POST /twilio/status',
    '/hooks/twilio/status',
    'application/x-www-form-urlencoded',
  ],
  [
    'providerWebhooks POST /twilio/inbound',
    '/hooks/twilio/inbound',
    'application/x-www-form-urlencoded',
  ],
  ['providerWebhooks POST /whatsapp', '/hooks/whatsapp', 'application/json'],
  ['webhookReceiver POST /', '/events', 'application/json'],
  [
    'createStepUp router POST /:checkpoint/otp/verify',
    '/auth/step-up/login/otp/verify',
    'application/json',
  ],
] as const;

const PLAIN = '{"to":"+14155550100","purpose":"login"}';
const gzipped = gzipSync(PLAIN);
/** Bodies a decompressor fails on: not compressed at all, or a real gzip stream cut short. */
const LIES = [
  ['plain JSON sent as Content-Encoding: gzip', 'gzip', PLAIN],
  ['plain JSON sent as Content-Encoding: deflate', 'deflate', PLAIN],
  ['plain JSON sent as Content-Encoding: br', 'br', PLAIN],
  ['a gzip body cut short', 'gzip', gzipped.subarray(0, gzipped.length - 8)],
] as const;

const logger = captureLogger();
let server: Server;
let base: string;

beforeAll(async () => {
  const checkpoint = createCheckpoint({
    secret: TEST_SECRET,
    channels: [outboxChannel({ name: 'sms' })],
    store: new MemoryStore(),
  });
  const app = express();
  app.use(session({ secret: TEST_SECRET, resave: false, saveUninitialized: false }));
  app.use('/otp', otpRouter(checkpoint, { secret: TEST_SECRET, errors: { logger } }));
  app.use(
    '/hooks',
    providerWebhooks(checkpoint, {
      publicUrl: 'https://app.example/hooks',
      twilio: { authToken: 'twilio-auth-token' },
      whatsapp: { appSecret: 'meta-app-secret', verifyToken: 'meta-verify-token' },
    }),
  );
  app.use('/events', webhookReceiver({ secrets: generateWebhookSecret(), onEvent: () => {} }));
  app.use('/auth/step-up', createStepUp({ checkpoint, destination: () => '+14155550100' }).router);
  server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function post(path: string, type: string, encoding: string, body: string | Uint8Array) {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': type, 'content-encoding': encoding },
    body,
  });
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    body: (await response.json()) as Record<string, unknown>,
  };
}

describe.each(ROUTES)('%s', (_name, path, type) => {
  it.each(LIES)('answers %s with 400 invalid_request, not 500', async (_lie, encoding, body) => {
    const answer = await post(path, type, encoding, body);
    expect(answer.status).toBe(400);
    expect(answer.type).toMatch(/^application\/json/);
    expect(answer.body).toEqual({
      error: 'invalid_request',
      message: expect.any(String) as string,
    });
  });

  it('answers an unknown Content-Encoding with 415, never 500', async () => {
    const answer = await post(path, type, 'x-unknown', PLAIN);
    expect(answer.status).toBe(415);
    expect(answer.body).toMatchObject({ error: 'unsupported_media_type' });
  });
});

it('logs none of these as an internal error', () => {
  expect(logger.lines.filter((line) => line.startsWith('error'))).toEqual([]);
});
