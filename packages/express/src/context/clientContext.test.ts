// Threat: a client must not choose the IP it is rate-limited under by sending X-Forwarded-For (ASVS V4.1.3).
import type { RequestContext } from '@checkpoint/core';
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { answer, otpTestApp } from '../testing/otpTestApp.js';
import { clientContext } from './clientContext.js';

function echoApp(trustProxy?: string) {
  const app = express();
  if (trustProxy !== undefined) app.set('trust proxy', trustProxy);
  app.get('/context', (req, res) => {
    res.json(clientContext(req));
  });
  return app;
}

describe('clientContext', () => {
  it('takes the socket address and the user agent when trust proxy is unset', async () => {
    const res = await request(echoApp())
      .get('/context')
      .set('User-Agent', 'test-agent/1.0')
      .set('X-Forwarded-For', '203.0.113.9');
    expect(res.body).toEqual({ ip: '127.0.0.1', userAgent: 'test-agent/1.0' });
  });

  it('takes the forwarded address only from a trusted proxy hop', async () => {
    const res = await request(echoApp('loopback'))
      .get('/context')
      .set('X-Forwarded-For', '198.51.100.7, 203.0.113.9');
    expect((res.body as RequestContext).ip).toBe('203.0.113.9');
  });

  it('follows the trust proxy setting a mounted sub-app inherits', async () => {
    const parent = express();
    parent.set('trust proxy', 'loopback');
    parent.use('/sub', echoApp());
    const res = await request(parent)
      .get('/sub/context')
      .set('X-Forwarded-For', '198.51.100.7, 203.0.113.9');
    expect((res.body as RequestContext).ip).toBe('203.0.113.9');
    const untrusted = express();
    untrusted.use('/sub', echoApp());
    const spoofed = await request(untrusted)
      .get('/sub/context')
      .set('X-Forwarded-For', '203.0.113.9');
    expect((spoofed.body as RequestContext).ip).toBe('127.0.0.1');
  });

  it('cuts a long user agent to the 1,024 characters core accepts', async () => {
    const res = await request(echoApp()).get('/context').set('User-Agent', 'a'.repeat(5_000));
    expect((res.body as RequestContext).userAgent).toHaveLength(1_024);
  });

  it('leaves out a missing user agent', async () => {
    const res = await request(echoApp()).get('/context').set('User-Agent', '');
    expect(res.body).toEqual({ ip: '127.0.0.1' });
  });
});

describe('otpRouter rate-limit key and trust proxy', () => {
  async function failTwice(trustProxy: string | undefined, forwarded: [string, string]) {
    const { app, codeFor, wrongFor } = otpTestApp({
      ...(trustProxy === undefined ? {} : { configure: (a) => a.set('trust proxy', trustProxy) }),
      router: { failedChecks: { perIp: { limit: 1, windowSeconds: 900 } } },
    });
    const statuses: number[] = [];
    for (const [index, address] of forwarded.entries()) {
      const to = `+1415555010${index}`;
      const sent = await request(app).post('/otp/send').send({ to, purpose: 'login' });
      const res = await request(app)
        .post('/otp/check')
        .set('X-Forwarded-For', address)
        .send({ id: answer(sent).id, code: wrongFor(codeFor(to)) });
      statuses.push(res.status);
    }
    return statuses;
  }

  it('keeps counting a client under its socket address when it spoofs X-Forwarded-For', async () => {
    // Without trust proxy both requests are 127.0.0.1: the second failure goes over the limit.
    expect(await failTwice(undefined, ['203.0.113.1', '203.0.113.2'])).toEqual([200, 429]);
  });

  it('counts under the forwarded address when trust proxy is loopback', async () => {
    expect(await failTwice('loopback', ['203.0.113.1', '203.0.113.2'])).toEqual([200, 200]);
    expect(await failTwice('loopback', ['203.0.113.1', '203.0.113.1'])).toEqual([200, 429]);
  });

  it('records the client address in core’s audit trail from req.ip only', async () => {
    const { app, checkpoint } = otpTestApp();
    const res = await request(app)
      .post('/otp/send')
      .set('X-Forwarded-For', '203.0.113.50')
      .send({ to: '+14155550100', purpose: 'login' });
    const [requested] = await checkpoint.audit(answer(res).id);
    expect(requested?.context?.ip).toBe('127.0.0.1');
  });
});
