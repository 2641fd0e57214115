import { readFile } from 'node:fs/promises';
import { outboxChannel } from '@checkpoint/core';
import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import { createControlsApp } from './controls.js';

describe('the README example of the controls', () => {
  it('lets ada export once after a step-up, tells her and the security contacts, and refuses a second export', async () => {
    const sms = outboxChannel({ name: 'sms' });
    const sent: string[] = [];
    const ada = request.agent(createControlsApp([sms], sent));
    await ada.post('/login').send({ user: 'ada' }).expect(200);
    await ada.get('/export').set('Accept', 'application/json').expect(401);
    const started = await ada.post('/auth/step-up/data_export/otp/start').send({});
    const code = sms.latest('+14155550100')?.code ?? '';
    await ada
      .post('/auth/step-up/data_export/otp/verify')
      .send({ id: (started.body as { id: string }).id, code })
      .expect(200);
    await ada.get('/export').expect(200);
    await vi.waitFor(() => expect(sent).toHaveLength(2));
    expect(sent[0]).toContain('A data export was run by ada on Acme');
    const again = await ada.get('/export').expect(429);
    expect(again.get('retry-after')).toBe('3600');
  });

  it('is the code the README shows', async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    const source = await readFile(new URL('./controls.ts', import.meta.url), 'utf8');
    expect(readme).toContain(source.trim());
  });
});
