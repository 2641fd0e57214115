// Threat: a code sent to one user's phone must not be usable from another user's session (or none).
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { answer, otpTestApp, PHONE } from '../testing/otpTestApp.js';

function boundApp() {
  return otpTestApp({ router: { subject: (req) => req.session.user } });
}

async function signIn(app: Parameters<typeof request.agent>[0], user: string) {
  const agent = request.agent(app);
  expect((await agent.post('/login').send({ user })).status).toBe(204);
  return agent;
}

describe('otpRouter subject binding', () => {
  it('approves a check from the session user the code was sent to', async () => {
    const { app, checkpoint, codeFor } = boundApp();
    const alice = await signIn(app, 'alice');
    const sent = answer(
      await alice.post('/otp/send').send({ to: PHONE, purpose: 'billing_change' }),
    );
    expect((await checkpoint.get(sent.id)).subject).toBe('alice');
    const res = await alice.post('/otp/check').send({ id: sent.id, code: codeFor(PHONE) });
    expect(res.body).toEqual({ status: 'approved', remainingAttempts: 4 });
  });

  it('answers a check from another session user with 404 and spends no attempt', async () => {
    const { app, checkpoint, codeFor } = boundApp();
    const alice = await signIn(app, 'alice');
    const mallory = await signIn(app, 'mallory');
    const sent = answer(
      await alice.post('/otp/send').send({ to: PHONE, purpose: 'billing_change' }),
    );
    const res = await mallory.post('/otp/check').send({ id: sent.id, code: codeFor(PHONE) });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'not_found', message: 'no such verification' });
    expect((await checkpoint.get(sent.id)).attempts).toBe(0);
    expect(
      answer(await alice.post('/otp/check').send({ id: sent.id, code: codeFor(PHONE) })).status,
    ).toBe('approved');
  });

  it('answers a check with no session user with 404: signing out does not lift the binding', async () => {
    const { app, codeFor } = boundApp();
    const alice = await signIn(app, 'alice');
    const sent = answer(
      await alice.post('/otp/send').send({ to: PHONE, purpose: 'billing_change' }),
    );
    const anonymous = await request(app)
      .post('/otp/check')
      .send({ id: sent.id, code: codeFor(PHONE) });
    expect(anonymous.status).toBe(404);
  });

  it('binds a send with no session user to nobody, so a signed-in user cannot check it', async () => {
    const { app, codeFor } = boundApp();
    const sent = answer(await request(app).post('/otp/send').send({ to: PHONE, purpose: 'login' }));
    const alice = await signIn(app, 'alice');
    expect(
      (await alice.post('/otp/check').send({ id: sent.id, code: codeFor(PHONE) })).status,
    ).toBe(404);
    const anonymous = await request(app)
      .post('/otp/check')
      .send({ id: sent.id, code: codeFor(PHONE) });
    expect(answer(anonymous).status).toBe('approved');
  });

  it('answers resend and cancel from another session user with 404 and leaves the verification alone', async () => {
    const { app, checkpoint, clock } = boundApp();
    const alice = await signIn(app, 'alice');
    const mallory = await signIn(app, 'mallory');
    const sent = answer(
      await alice.post('/otp/send').send({ to: PHONE, purpose: 'billing_change' }),
    );
    await clock.advance(30_000);
    expect((await mallory.post(`/otp/${sent.id}/resend`)).status).toBe(404);
    expect((await mallory.post(`/otp/${sent.id}/cancel`)).status).toBe(404);
    expect(await checkpoint.get(sent.id)).toMatchObject({ status: 'pending', sends: 1 });
    expect((await alice.post(`/otp/${sent.id}/resend`)).status).toBe(202);
  });

  it('binds to the tenant of the request', async () => {
    const { app, checkpoint, codeFor } = otpTestApp({
      router: { tenantId: (req) => req.get('x-tenant') },
    });
    await checkpoint.configure('acme', {});
    const sent = answer(
      await request(app)
        .post('/otp/send')
        .set('x-tenant', 'acme')
        .send({ to: PHONE, purpose: 'login' }),
    );
    expect((await checkpoint.get(sent.id)).tenantId).toBe('acme');
    const elsewhere = await request(app)
      .post('/otp/check')
      .send({ id: sent.id, code: codeFor(PHONE) });
    expect(elsewhere.status).toBe(404);
    const home = await request(app)
      .post('/otp/check')
      .set('x-tenant', 'acme')
      .send({ id: sent.id, code: codeFor(PHONE) });
    expect(answer(home).status).toBe('approved');
  });
});
