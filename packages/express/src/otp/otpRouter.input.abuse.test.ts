// Threat: malformed, oversized or mistyped bodies must answer 4xx JSON — never a 500, never an attempt spent.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { answer, otpTestApp, PHONE } from '../testing/otpTestApp.js';

function expectJsonError(res: request.Response, status: number, error: string): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(answer(res).error).toBe(error);
  expect(typeof answer(res).message).toBe('string');
}

describe('otpRouter input', () => {
  it('answers malformed JSON with 400 invalid_request', async () => {
    const { app } = otpTestApp();
    for (const raw of ['{"to":', '{to: "x"}', '', 'undefined']) {
      const res = await request(app)
        .post('/otp/send')
        .set('Content-Type', 'application/json')
        .send(raw);
      expectJsonError(res, 400, 'invalid_request');
    }
  });

  it('answers JSON that is not an object with 400', async () => {
    const { app } = otpTestApp();
    for (const path of ['/otp/send', '/otp/check']) {
      for (const raw of ['[]', '"x"', 'null', '42', 'true', '[{"to":"+14155550100"}]']) {
        const res = await request(app).post(path).set('Content-Type', 'application/json').send(raw);
        expectJsonError(res, 400, 'invalid_request');
      }
    }
  });

  it('answers wrong types and missing fields with 400', async () => {
    const { app } = otpTestApp();
    const sends = [
      {},
      { to: PHONE },
      { purpose: 'login' },
      { to: {}, purpose: 'login' },
      { to: [PHONE], purpose: 'login' },
      { to: 14155550100, purpose: 'login' },
      { to: PHONE, purpose: 7 },
      { to: PHONE, purpose: 'login', channel: ['sms'] },
      { to: '', purpose: 'login' },
      { to: 'x'.repeat(321), purpose: 'login' },
      { to: PHONE, purpose: 'Not A Purpose' },
    ];
    for (const body of sends) {
      expectJsonError(await request(app).post('/otp/send').send(body), 400, 'invalid_request');
    }
    const checks = [
      {},
      { id: 'vf_x' },
      { code: '123456' },
      { id: 'vf_AAAAAAAAAAAAAAAAAAAAAAAAAA', code: 123456 },
      { id: 'vf_AAAAAAAAAAAAAAAAAAAAAAAAAA', code: { $ne: 1 } },
      { id: 42, code: '123456' },
      { id: 'vf_AAAAAAAAAAAAAAAAAAAAAAAAAA', code: '1'.repeat(33) },
    ];
    for (const body of checks) {
      expectJsonError(await request(app).post('/otp/check').send(body), 400, 'invalid_request');
    }
    const resend = await request(app)
      .post('/otp/vf_AAAAAAAAAAAAAAAAAAAAAAAAAA/resend')
      .send({ channel: 5 });
    expectJsonError(resend, 400, 'invalid_request');
  });

  it('ignores unknown fields', async () => {
    const { app } = otpTestApp();
    const res = await request(app)
      .post('/otp/send')
      .send({ to: PHONE, purpose: 'login', extra: { deep: [1, 2] }, subject: 'someone-else' });
    expect(res.status).toBe(202);
  });

  it('never lets a __proto__ key stand in for a field or reach a prototype', async () => {
    const { app } = otpTestApp();
    const raw =
      '{"__proto__":{"to":"+14155550100","purpose":"login"},"constructor":{"prototype":{"x":1}}}';
    const res = await request(app)
      .post('/otp/send')
      .set('Content-Type', 'application/json')
      .send(raw);
    expectJsonError(res, 400, 'invalid_request');
    expect(({} as Record<string, unknown>)['to']).toBeUndefined();
    const ok = await request(app)
      .post('/otp/send')
      .set('Content-Type', 'application/json')
      .send('{"to":"+14155550100","purpose":"login","__proto__":{"admin":true}}');
    expect(ok.status).toBe(202);
    expect(({} as Record<string, unknown>)['admin']).toBeUndefined();
  });

  it('answers a body over the limit with 413 payload_too_large', async () => {
    const { app } = otpTestApp();
    const res = await request(app)
      .post('/otp/send')
      .send({ to: PHONE, purpose: 'login', padding: 'x'.repeat(9 * 1024) });
    expectJsonError(res, 413, 'payload_too_large');
    const small = otpTestApp({ router: { bodyLimit: 100 } });
    const over = await request(small.app)
      .post('/otp/check')
      .send({ id: 'x'.repeat(60), code: 'y'.repeat(30), pad: 'z'.repeat(20) });
    expectJsonError(over, 413, 'payload_too_large');
  });

  it('answers a body that is not JSON with 415', async () => {
    const { app } = otpTestApp();
    const form = await request(app)
      .post('/otp/send')
      .type('form')
      .send({ to: PHONE, purpose: 'login' });
    expectJsonError(form, 415, 'unsupported_media_type');
    const text = await request(app)
      .post('/otp/check')
      .set('Content-Type', 'text/plain')
      .send('{"id":"x","code":"1"}');
    expectJsonError(text, 415, 'unsupported_media_type');
    const none = await request(app).post('/otp/send').set('Content-Type', '').send('{"to":"x"}');
    expect([400, 415]).toContain(none.status);
    expect(answer(none).error).toBeDefined();
  });

  it('answers a JSON body in an unsupported charset with 415', async () => {
    const { app } = otpTestApp();
    const res = await request(app)
      .post('/otp/send')
      .set('Content-Type', 'application/json; charset=latin1')
      .send('{"to":"+14155550100","purpose":"login"}');
    expectJsonError(res, 415, 'unsupported_media_type');
  });

  it('answers a body-less send and check with 400, and accepts a body-less resend and cancel', async () => {
    const { app, clock } = otpTestApp();
    expectJsonError(await request(app).post('/otp/send'), 400, 'invalid_request');
    expectJsonError(await request(app).post('/otp/check'), 400, 'invalid_request');
    const sent = answer(await request(app).post('/otp/send').send({ to: PHONE, purpose: 'login' }));
    await clock.advance(30_000);
    expect((await request(app).post(`/otp/${sent.id}/resend`)).status).toBe(202);
    expect((await request(app).post(`/otp/${sent.id}/cancel`)).status).toBe(204);
  });

  it('answers a malformed escape in the id with 400', async () => {
    const { app } = otpTestApp();
    const res = await request(app).post('/otp/%E0%A4%A/cancel');
    expectJsonError(res, 400, 'invalid_request');
  });

  it('spends no attempt on a malformed code', async () => {
    const { app, checkpoint, codeFor } = otpTestApp();
    const sent = answer(await request(app).post('/otp/send').send({ to: PHONE, purpose: 'login' }));
    for (const code of [123456, '12345a', '１２３４５６', { $ne: 1 }]) {
      expect((await request(app).post('/otp/check').send({ id: sent.id, code })).status).toBe(400);
    }
    expect((await checkpoint.get(sent.id)).attempts).toBe(0);
    const ok = await request(app)
      .post('/otp/check')
      .send({ id: sent.id, code: codeFor(PHONE) });
    expect(ok.body).toEqual({ status: 'approved', remainingAttempts: 4 });
  });
});
