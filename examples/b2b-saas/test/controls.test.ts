// The controls around Acme's checkpoints: one data export an hour, notices after the action (masked),
// API keys audited without the key, and a new admin's cool-down approved only by another admin.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDemoApp, type DemoApp } from '../src/createDemoApp.js';

let demo: DemoApp;

beforeAll(async () => {
  demo = await createDemoApp({ seed: false, log: () => {} });
});

afterAll(() => demo?.close());

const ADA_PHONE = '+14155550101';

function latestCode(phone: string): string {
  return /^(\d{6}) /.exec(demo.inbox.latest(phone)?.text ?? '')?.[1] ?? '';
}

async function loginAda() {
  const agent = request.agent(demo.app);
  await agent
    .post('/login')
    .type('form')
    .send({ email: 'ada@acme.example', password: 'acme-demo-password' })
    .expect(303);
  await agent
    .post('/login/otp')
    .type('form')
    .send({ code: latestCode(ADA_PHONE) })
    .expect(303);
  return agent;
}

/** The guarded JSON action, after the step-up its first answer asks for. */
async function withStepUp(agent: request.Agent, checkpoint: string, path: string, body: object) {
  const first = await agent.post(path).set('Accept', 'application/json').send(body);
  if (first.status !== 401) return first;
  const started = await agent.post(`/auth/step-up/${checkpoint}/otp/start`).send({});
  expect(started.status).toBe(202);
  await agent
    .post(`/auth/step-up/${checkpoint}/otp/verify`)
    .send({ id: (started.body as { id: string }).id, code: latestCode(ADA_PHONE) })
    .expect(200);
  return agent.post(path).set('Accept', 'application/json').send(body);
}

describe('Acme Console controls', () => {
  it('exports once an hour, and tells Ada and the workspace’s admins once the export ran', async () => {
    const ada = await loginAda();
    demo.inbox.clear();
    expect((await withStepUp(ada, 'data_export', '/data-export', {})).status).toBe(200);
    await vi.waitFor(() =>
      expect(demo.inbox.messages().filter((m) => m.text.includes('data export'))).not.toEqual([]),
    );
    const notices = demo.inbox.messages().filter((m) => m.text.includes('A data export was run'));
    expect(notices.map((notice) => notice.to)).toEqual(
      expect.arrayContaining([ADA_PHONE, 'ada@acme.example', 'alice@idp.example']),
    );
    for (const notice of notices) expect(notice.text).not.toMatch(/@acme\.example|\+1415/);

    const again = await ada.post('/data-export').set('Accept', 'application/json').send({});
    expect(again.status).toBe(429);
    expect(Number(again.get('retry-after'))).toBeGreaterThan(3500);
  });

  it('audits a new API key’s id and scopes, never the key', async () => {
    const ada = await loginAda();
    const created = await withStepUp(ada, 'api_key_create', '/api-keys', { name: 'CI deploys' });
    expect(created.status).toBe(200);
    const secret = /ak_live_[\w-]+/.exec((created.body as { message: string }).message)?.[0];
    expect(secret).toBeDefined();
    // The step-up just taken is fresh enough for the audit log (AAL2 within 15 min).
    const response = await ada
      .get('/audit/export?format=jsonl')
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => done(null, text));
      })
      .expect(200);
    const exported = { text: response.body as string };
    expect(exported.text).toContain('"type":"api_key.created"');
    expect(exported.text).toContain('"scopes":"tenant:all"');
    expect(exported.text).not.toContain(secret);
  });
});
