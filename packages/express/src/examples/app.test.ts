import { readFile } from 'node:fs/promises';
import { outboxChannel } from '@checkpoint/core';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { answer } from '../testing/otpTestApp.js';
import { createApp } from './app.js';

describe('the README example', () => {
  it('signs ada in with the code sent to her phone, on a new session id', async () => {
    const sms = outboxChannel({ name: 'sms' });
    const agent = request.agent(createApp([sms]));
    const sent = await agent.post('/otp/send').send({ to: 'ada', purpose: 'login' });
    expect(sent.status).toBe(202);
    const code = sms.latest('+14155550100')?.code ?? '';
    const checked = await agent.post('/otp/check').send({ id: answer(sent).id, code });
    expect(answer(checked).status).toBe('approved');
    expect(checked.headers['set-cookie']).toBeDefined();
    expect((await agent.get('/me')).body).toEqual({ user: 'ada' });
  });

  it('answers an unknown name like a known one and sends nothing', async () => {
    const sms = outboxChannel({ name: 'sms' });
    const app = createApp([sms]);
    const sent = await request(app).post('/otp/send').send({ to: 'nobody', purpose: 'login' });
    expect(sent.status).toBe(202);
    expect(Object.keys(answer(sent))).toEqual(['id', 'channel', 'expiresAt']);
    expect(sms.messages).toHaveLength(0);
    const checked = await request(app)
      .post('/otp/check')
      .send({ id: answer(sent).id, code: '123456' });
    expect(checked.body).toEqual({ status: 'failed', remainingAttempts: 4 });
  });

  it('is the code the README shows', async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    const source = await readFile(new URL('./app.ts', import.meta.url), 'utf8');
    expect(readme).toContain(source.trim());
  });
});
