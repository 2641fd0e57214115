import { createCheckpoint, outboxChannel } from '@checkpoint/core';
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { answer, OTHER_PHONE, otpTestApp, PHONE, TEST_SECRET } from '../testing/otpTestApp.js';
import { otpRouter } from './otpRouter.js';

const ID = /^vf_[A-Za-z0-9_-]{26}$/;

describe('otpRouter', () => {
  it('sends a code and answers 202 with the id, the channel and the expiry', async () => {
    const { app, clock, codeFor } = otpTestApp();
    const res = await request(app).post('/otp/send').send({ to: PHONE, purpose: 'login' });
    expect(res.status).toBe(202);
    expect(Object.keys(answer(res))).toEqual(['id', 'channel', 'expiresAt']);
    expect(answer(res).id).toMatch(ID);
    expect(answer(res)).toMatchObject({ channel: 'sms', expiresAt: clock.now() + 600_000 });
    expect(res.headers['cache-control']).toBe('no-store');
    expect(codeFor(PHONE)).toMatch(/^\d{6}$/);
  });

  it('sends on the channel the client asks for', async () => {
    const { app } = otpTestApp();
    const res = await request(app)
      .post('/otp/send')
      .send({ to: 'ada@example.com', purpose: 'signup', channel: 'email' });
    expect(res.status).toBe(202);
    expect(answer(res).channel).toBe('email');
  });

  it('approves the right code with 200 and answers a second check of the same id with 404', async () => {
    const { app, codeFor } = otpTestApp();
    const sent = answer(await request(app).post('/otp/send').send({ to: PHONE, purpose: 'login' }));
    const ok = await request(app)
      .post('/otp/check')
      .send({ id: sent.id, code: codeFor(PHONE) });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ status: 'approved', remainingAttempts: 4 });
    const replay = await request(app)
      .post('/otp/check')
      .send({ id: sent.id, code: codeFor(PHONE) });
    expect(replay.status).toBe(404);
    expect(replay.body).toEqual({ error: 'not_found', message: 'no such verification' });
  });

  it('answers a wrong code with 200 failed and counts down to max_attempts', async () => {
    const { app, codeFor, wrongFor } = otpTestApp();
    const sent = answer(await request(app).post('/otp/send').send({ to: PHONE, purpose: 'login' }));
    const wrong = wrongFor(codeFor(PHONE));
    const answers = [];
    for (let i = 0; i < 6; i += 1) {
      const res = await request(app).post('/otp/check').send({ id: sent.id, code: wrong });
      expect(res.status).toBe(200);
      answers.push(`${answer(res).status}:${answer(res).remainingAttempts}`);
    }
    expect(answers).toEqual([
      'failed:4',
      'failed:3',
      'failed:2',
      'failed:1',
      'failed:0',
      'max_attempts:0',
    ]);
  });

  it('resends after the cooldown with 202 and refuses before it with 429 and Retry-After', async () => {
    const { app, clock, sms } = otpTestApp();
    const sent = answer(await request(app).post('/otp/send').send({ to: PHONE, purpose: 'login' }));
    const early = await request(app).post(`/otp/${sent.id}/resend`);
    expect(early.status).toBe(429);
    expect(early.headers['retry-after']).toBe('30');
    expect(early.body).toEqual({
      error: 'rate_limited',
      message: 'wait 30 s before requesting another code',
      retryAfter: 30,
    });
    await clock.advance(30_000);
    const res = await request(app).post(`/otp/${sent.id}/resend`).send({});
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ id: sent.id, channel: 'sms', expiresAt: sent.expiresAt });
    expect(sms.messages).toHaveLength(2);
  });

  it('cancels with 204, after which the code answers canceled', async () => {
    const { app, codeFor } = otpTestApp();
    const sent = answer(await request(app).post('/otp/send').send({ to: PHONE, purpose: 'login' }));
    const res = await request(app).post(`/otp/${sent.id}/cancel`);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    const check = await request(app)
      .post('/otp/check')
      .send({ id: sent.id, code: codeFor(PHONE) });
    expect(check.body).toEqual({ status: 'canceled', remainingAttempts: 5 });
  });

  it('answers 404 for resend and cancel of an unknown id', async () => {
    const { app } = otpTestApp();
    const unknown = 'vf_AAAAAAAAAAAAAAAAAAAAAAAAAA';
    expect((await request(app).post(`/otp/${unknown}/resend`)).status).toBe(404);
    expect((await request(app).post(`/otp/${unknown}/cancel`)).status).toBe(404);
    expect((await request(app).post('/otp/not-an-id/cancel')).status).toBe(404);
  });

  it('answers core velocity caps with 429, a Retry-After header and retryAfter in the body', async () => {
    const { app } = otpTestApp();
    for (let i = 0; i < 5; i += 1) {
      expect(
        (await request(app).post('/otp/send').send({ to: PHONE, purpose: 'login' })).status,
      ).toBe(202);
    }
    const res = await request(app).post('/otp/send').send({ to: PHONE, purpose: 'login' });
    expect(res.status).toBe(429);
    expect(answer(res).error).toBe('rate_limited');
    expect(answer(res).retryAfter).toBe(600);
    expect(res.headers['retry-after']).toBe('600');
    // Another destination is not affected.
    expect(
      (await request(app).post('/otp/send').send({ to: OTHER_PHONE, purpose: 'login' })).status,
    ).toBe(202);
  });

  it('passes core refusals through with their status', async () => {
    const { app } = otpTestApp();
    const badNumber = await request(app).post('/otp/send').send({ to: '+1415', purpose: 'login' });
    expect(badNumber.status).toBe(400);
    expect(answer(badNumber).error).toBe('invalid_number');
    const blocked = await request(app)
      .post('/otp/send')
      .send({ to: '+5352345678', purpose: 'login' });
    expect(blocked.status).toBe(403);
    expect(answer(blocked).error).toBe('country_blocked');
    const unknownChannel = await request(app)
      .post('/otp/send')
      .send({ to: PHONE, purpose: 'login', channel: 'pigeon' });
    expect(unknownChannel.status).toBe(400);
    expect(answer(unknownChannel).error).toBe('invalid_request');
  });

  it('refuses purposes and channels outside its lists with 400', async () => {
    const { app } = otpTestApp({ router: { purposes: ['login'], channels: ['sms'] } });
    const purpose = await request(app)
      .post('/otp/send')
      .send({ to: PHONE, purpose: 'billing_change' });
    expect(purpose.status).toBe(400);
    expect(purpose.body).toEqual({
      error: 'invalid_request',
      message: '`purpose` must be one of: login',
    });
    const channel = await request(app)
      .post('/otp/send')
      .send({ to: PHONE, purpose: 'login', channel: 'email' });
    expect(channel.status).toBe(400);
  });

  it('binds checks to its only purpose, so a code sent elsewhere for another purpose is not found', async () => {
    const { app, checkpoint, codeFor } = otpTestApp({ router: { purposes: ['login'] } });
    const { id } = await checkpoint.send({ to: PHONE, purpose: 'billing_change' });
    const res = await request(app)
      .post('/otp/check')
      .send({ id, code: codeFor(PHONE) });
    expect(res.status).toBe(404);
    expect((await checkpoint.get(id)).status).toBe('pending');
  });

  it('passes core’s 400 for a code that is not a digit string through', async () => {
    const { app } = otpTestApp();
    const sent = answer(await request(app).post('/otp/send').send({ to: PHONE, purpose: 'login' }));
    for (const code of ['12a456', ' 123456', '١٢٣٤٥٦', '123']) {
      const res = await request(app).post('/otp/check').send({ id: sent.id, code });
      expect(res.status).toBe(400);
      expect(answer(res).error).toBe('invalid_request');
    }
  });

  it('calls onApproved with the approved verification before answering', async () => {
    const approved: string[] = [];
    const { app, codeFor } = otpTestApp({
      router: {
        onApproved: (_req, verification) => {
          approved.push(`${verification.purpose}:${verification.status}`);
        },
      },
    });
    const sent = answer(
      await request(app).post('/otp/send').send({ to: PHONE, purpose: 'signup' }),
    );
    const res = await request(app)
      .post('/otp/check')
      .send({ id: sent.id, code: codeFor(PHONE) });
    expect(answer(res).status).toBe('approved');
    expect(approved).toEqual(['signup:approved']);
  });

  it('leaves errors to the app’s own error middleware when errors is false', async () => {
    const { app } = otpTestApp({ router: { errors: false } });
    app.use(
      (
        err: { code?: string },
        _req: unknown,
        res: { status(n: number): { send(t: string): void } },
        _next: unknown,
      ) => {
        res.status(418).send(`app handled ${err.code}`);
      },
    );
    const res = await request(app).post('/otp/send').send({ to: PHONE });
    expect(res.status).toBe(418);
    expect(res.text).toBe('app handled invalid_request');
  });

  it('leaves the bodies of the app’s other routes alone when mounted at the root', async () => {
    const checkpoint = createCheckpoint({ secret: TEST_SECRET, channels: [outboxChannel()] });
    const app = express();
    app.use(otpRouter(checkpoint, { secret: TEST_SECRET }));
    app.post('/contact', express.urlencoded({ extended: false }), (req, res) => {
      res.json({ name: (req.body as { name: string }).name });
    });
    const res = await request(app).post('/contact').type('form').send({ name: 'Ada' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ name: 'Ada' });
    expect((await request(app).post('/send').send({ to: PHONE, purpose: 'login' })).status).toBe(
      202,
    );
  });

  it('matches its paths as Express routes do and leaves other methods and paths to the app', async () => {
    const { app, codeFor } = otpTestApp();
    const sent = answer(
      await request(app).post('/otp/SEND/').send({ to: PHONE, purpose: 'login' }),
    );
    expect(sent.id).toMatch(/^vf_/);
    const checked = await request(app)
      .post('/otp/Check')
      .send({ id: sent.id, code: codeFor(PHONE) });
    expect(checked.body).toEqual({ status: 'approved', remainingAttempts: 4 });
    expect(checked.headers['cache-control']).toBe('no-store');
    expect(checked.headers.etag).toBeUndefined();
    for (const res of [
      await request(app).get('/otp/check'),
      await request(app).post('/otp/check/more').send({}),
      await request(app).post(`/otp/${sent.id}/resend/again`),
      await request(app).post('/otp//cancel'),
    ]) {
      expect(res.status).toBe(404);
    }
    // An id is URI-decoded as Express decodes route parameters: this one is unknown, not malformed.
    expect((await request(app).post('/otp/vf_%41bc/CANCEL')).status).toBe(404);
  });
});
