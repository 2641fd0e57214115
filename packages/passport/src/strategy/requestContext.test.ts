import express, { type Request, type Response } from 'express';
import request from 'supertest';
import { json } from '../fixtures/otpApp.js';
import { expect, it } from 'vitest';
import { requestContext } from './requestContext.js';

function app(trustProxy: boolean) {
  const server = express();
  server.set('trust proxy', trustProxy);
  server.get('/', (req: Request, res: Response) => res.json(requestContext(req)));
  return server;
}

it('takes the client address and user agent from the request', async () => {
  const response = await request(app(false)).get('/').set('user-agent', 'agent/1.0');
  expect(response.body).toEqual({
    ip: expect.stringMatching(/127\.0\.0\.1/) as unknown,
    userAgent: 'agent/1.0',
  });
});

it('ignores X-Forwarded-For unless Express is told to trust the proxy', async () => {
  const untrusted = await request(app(false)).get('/').set('x-forwarded-for', '203.0.113.5');
  expect(json(untrusted).ip).not.toBe('203.0.113.5');
  const trusted = await request(app(true)).get('/').set('x-forwarded-for', '203.0.113.5');
  expect(json(trusted).ip).toBe('203.0.113.5');
});

it('shortens a huge user agent instead of failing the check', async () => {
  const response = await request(app(false)).get('/').set('user-agent', 'x'.repeat(5_000));
  expect(json(response).userAgent).toHaveLength(1_024);
});

it('leaves out an address that is not an IP address', async () => {
  const response = await request(app(true)).get('/').set('x-forwarded-for', 'not-an-ip');
  expect(response.body).not.toHaveProperty('ip');
});
