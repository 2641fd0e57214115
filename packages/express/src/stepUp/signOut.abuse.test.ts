// Threat: a sign-out or a password reset undone by a stale copy of the session that an in-flight request saves.
import { ManualClock } from '@checkpoint/core/testing';
import session from 'express-session';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { cookieOf, listening } from './fixtures/listening.js';
import { stepUpApp } from './fixtures/stepUpApp.js';

const { listen, closeAll } = listening();
afterEach(closeAll);

describe('sign-out is a server-side revocation', () => {
  it('stays signed out when a request in flight at sign-out saves its copy of the session afterwards', async () => {
    const fixture = stepUpApp();
    const base = await listen(fixture.app);
    const cookie = cookieOf(await request(fixture.app).post('/login').send({}).expect(200));
    const slow = fetch(`${base}/slow`, { method: 'POST', headers: { cookie } });
    await expect.poll(() => fixture.waiting()).toBe(1);
    const out = await fetch(`${base}/logout`, { method: 'POST', headers: { cookie } });
    expect(out.status).toBe(200);
    fixture.release();
    expect((await slow).status).toBe(200);
    // The old cookie, whatever copy of the session the slow request wrote back.
    const me = await fetch(`${base}/me`, { headers: { cookie, accept: 'application/json' } });
    expect(me.status).toBe(401);
    const guarded = await fetch(`${base}/billing`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ card: '4111111111111111' }),
    });
    expect(guarded.status).toBe(401);
    expect(await guarded.json()).toMatchObject({ error: 'login_required' });
  });

  it('ends every other session of the user on revokeUser (a password reset), and a new sign-in works', async () => {
    const fixture = stepUpApp();
    const laptop = request.agent(fixture.app);
    const phone = request.agent(fixture.app);
    await laptop.post('/login').send({}).expect(200);
    await phone.post('/login').send({}).expect(200);
    await laptop.get('/me').expect(200);
    await fixture.stepUp.revokeUser({ tenantId: 'acme', userId: 'alice' });
    await laptop.get('/me').expect(401);
    await phone.get('/me').expect(401);
    await phone.post('/login').send({}).expect(200);
    await phone.get('/me').expect(200, { userId: 'alice' });
  });

  it('keeps the session that asked, when revokeUser is given its request (a password change)', async () => {
    const fixture = stepUpApp({
      routes: (app, stepUp) => {
        app.post('/password', (req, res, next) => {
          stepUp
            .revokeUser({ tenantId: 'acme', userId: 'alice', except: req })
            .then(() => res.json({ ok: true }))
            .catch(next);
        });
      },
    });
    const laptop = request.agent(fixture.app);
    const phone = request.agent(fixture.app);
    await laptop.post('/login').send({}).expect(200);
    await phone.post('/login').send({}).expect(200);
    await laptop.post('/password').send({}).expect(200);
    await laptop.get('/me').expect(200, { userId: 'alice' });
    await phone.get('/me').expect(401);
  });
});

describe('session activity', () => {
  it('writes the activity time at most about once a minute, not on every request', async () => {
    const clock = new ManualClock();
    const sessionStore = new session.MemoryStore();
    let writes = 0;
    const set = sessionStore.set.bind(sessionStore);
    sessionStore.set = (sid, data, callback) => {
      writes += 1;
      set(sid, data, callback);
    };
    const fixture = stepUpApp({ sessionStore, stepUp: { now: () => clock.now() } });
    const agent = request.agent(fixture.app);
    await agent.post('/login').send({}).expect(200);
    writes = 0;
    for (let index = 0; index < 5; index += 1) {
      await clock.advance(5_000);
      await agent.get('/me').expect(200);
    }
    expect(writes).toBe(0);
    await clock.advance(60_000);
    await agent.get('/me').expect(200);
    expect(writes).toBe(1);
  });
});
