import type { Verification } from '@checkpoint/core';
import express, {
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import passport from 'passport';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { ALICE, byPhone, otpApp, testCheckpoint, json } from '../fixtures/otpApp.js';
import { OtpStrategy } from './OtpStrategy.js';
import type { OtpVerifyFunction } from './options.js';

const noop: OtpVerifyFunction = (_verification, done) => done(null, false);

describe('new OtpStrategy', () => {
  const { checkpoint } = testCheckpoint();

  it('is named checkpoint-otp, the name passport.authenticate() uses', () => {
    expect(new OtpStrategy({ checkpoint }, noop).name).toBe('checkpoint-otp');
  });

  it('throws a TypeError that asks for a verify callback when there is none', () => {
    const construct = OtpStrategy as unknown as new (options: unknown, verify?: unknown) => unknown;
    expect(() => new construct({ checkpoint })).toThrow(
      new TypeError('OtpStrategy requires a verify callback'),
    );
  });

  it('throws a TypeError that names checkpoint when it is missing or not a Checkpoint', () => {
    const construct = OtpStrategy as unknown as new (options: unknown, verify?: unknown) => unknown;
    for (const options of [undefined, {}, { checkpoint: {} }, { checkpoint: 'cp' }]) {
      expect(() => new construct(options, noop)).toThrow(TypeError);
    }
    expect(() => new construct({}, noop)).toThrow(/requires `checkpoint`/);
  });

  it('throws a TypeError when a request hook is not a function or a field name is empty', () => {
    const construct = OtpStrategy as unknown as new (options: unknown, verify?: unknown) => unknown;
    expect(() => new construct({ checkpoint, subject: 'u1' }, noop)).toThrow(
      /`subject` must be a function/,
    );
    expect(() => new construct({ checkpoint, codeField: '' }, noop)).toThrow(/`codeField`/);
  });

  it('can be registered with passport.use()', () => {
    const auth = new passport.Passport();
    expect(() => auth.use(new OtpStrategy({ checkpoint }, noop))).not.toThrow();
  });
});

describe('OtpStrategy reading the request', () => {
  it('reads the id and the code from custom body fields', async () => {
    const { checkpoint, sms } = testCheckpoint();
    const app = otpApp(
      new OtpStrategy({ checkpoint, idField: 'verificationId', codeField: 'otp' }, byPhone()),
    );
    const { id } = await checkpoint.send({ to: ALICE.phone, purpose: 'login' });
    const code = sms.latest(ALICE.phone)?.code;
    const response = await request(app).post('/login/otp').send({ verificationId: id, otp: code });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ userId: ALICE.id });
  });

  it('ignores the query string: codes do not belong in URLs', async () => {
    const { checkpoint, sms } = testCheckpoint();
    const app = otpApp(new OtpStrategy({ checkpoint }, byPhone()));
    const { id } = await checkpoint.send({ to: ALICE.phone, purpose: 'login' });
    const code = sms.latest(ALICE.phone)?.code ?? '';
    const response = await request(app).post('/login/otp').query({ id, code }).send({});
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ status: 'missing_credentials', message: 'missing id or code' });
  });

  it('does not read inherited properties of the body such as __proto__', async () => {
    const { checkpoint } = testCheckpoint();
    const app = otpApp(new OtpStrategy({ checkpoint, idField: 'toString' }, byPhone()));
    const response = await request(app).post('/login/otp').send({ code: '123456' });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ status: 'missing_credentials' });
  });

  it('uses credentials() when a subclass overrides it', async () => {
    const { checkpoint, sms } = testCheckpoint();
    class HeaderStrategy extends OtpStrategy {
      override credentials(req: Parameters<OtpStrategy['credentials']>[0]) {
        return { id: req.get('x-verification-id'), code: req.get('x-code') };
      }
    }
    const app = otpApp(new HeaderStrategy({ checkpoint }, byPhone()));
    const { id } = await checkpoint.send({ to: ALICE.phone, purpose: 'login' });
    const response = await request(app)
      .post('/login/otp')
      .set('x-verification-id', id)
      .set('x-code', sms.latest(ALICE.phone)?.code ?? '');
    expect(response.status).toBe(200);
  });

  it('records the factor that factor() returns when a subclass overrides it', async () => {
    const { checkpoint, sms } = testCheckpoint();
    class VoiceStrategy extends OtpStrategy {
      override factor(verification: Verification) {
        return { ...super.factor(verification), method: 'otp-voice' as const, amr: ['tel'] };
      }
    }
    const app = otpApp(new VoiceStrategy({ checkpoint }, byPhone()));
    const { id } = await checkpoint.send({ to: ALICE.phone, purpose: 'login' });
    const response = await request(app)
      .post('/login/otp')
      .send({ id, code: sms.latest(ALICE.phone)?.code });
    expect(json(response).factors).toEqual([
      expect.objectContaining({ method: 'otp-voice', amr: ['tel'] }) as unknown,
    ]);
  });
});

describe('OtpStrategy calling Passport back', () => {
  it('calls the authenticate callback once when verify calls done twice and then throws', async () => {
    const { checkpoint, sms } = testCheckpoint();
    const strategy = new OtpStrategy({ checkpoint }, (_verification, done) => {
      done(null, ALICE);
      done(null, false);
      throw new Error('after done');
    });
    const auth = new passport.Passport();
    auth.use(strategy);
    const calls: unknown[][] = [];
    const app = express();
    app.use(express.json());
    app.post('/login/otp', (req: Request, res: Response, next: NextFunction) => {
      const handler = auth.authenticate('checkpoint-otp', (...args: unknown[]) => {
        calls.push(args);
        if (calls.length === 1) res.status(204).end();
      }) as RequestHandler;
      handler(req, res, next);
    });
    const { id } = await checkpoint.send({ to: ALICE.phone, purpose: 'login' });
    const code = sms.latest(ALICE.phone)?.code;
    expect((await request(app).post('/login/otp').send({ id, code })).status).toBe(204);
    // Anything still queued would have run by the next macrotask.
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toHaveLength(1);
    expect(calls[0]?.[1]).toBe(ALICE);
  });

  it('reports an error when verify rejects before calling done', async () => {
    const { checkpoint, sms } = testCheckpoint();
    const app = otpApp(
      new OtpStrategy({ checkpoint }, async () => {
        throw new Error('user directory down');
      }),
    );
    const { id } = await checkpoint.send({ to: ALICE.phone, purpose: 'login' });
    const response = await request(app)
      .post('/login/otp')
      .send({ id, code: sms.latest(ALICE.phone)?.code });
    expect(response.status).toBe(500);
    expect(response.body).toEqual({ error: 'internal_error' });
  });

  it('passes the request to verify with passReqToCallback', async () => {
    const { checkpoint, sms } = testCheckpoint();
    const seen: string[] = [];
    const app = otpApp(
      new OtpStrategy({ checkpoint, passReqToCallback: true }, (req, verification, done) => {
        seen.push(req.get('x-app') ?? '', verification.purpose);
        done(null, ALICE);
      }),
    );
    const { id } = await checkpoint.send({ to: ALICE.phone, purpose: 'login' });
    await request(app)
      .post('/login/otp')
      .set('x-app', 'console')
      .send({ id, code: sms.latest(ALICE.phone)?.code });
    expect(seen).toEqual(['console', 'login']);
  });

  it('hands the request context to the check, for velocity limits and the audit trail', async () => {
    const { checkpoint, sms } = testCheckpoint();
    const app = otpApp(
      new OtpStrategy(
        {
          checkpoint,
          context: (req) => ({ ip: '203.0.113.9', userAgent: req.get('user-agent') ?? '' }),
        },
        byPhone(),
      ),
    );
    const { id } = await checkpoint.send({ to: ALICE.phone, purpose: 'login' });
    await request(app)
      .post('/login/otp')
      .set('user-agent', 'checkpoint-test')
      .send({ id, code: sms.latest(ALICE.phone)?.code });
    const checked = (await checkpoint.audit(id)).find(
      (event) => event.type === 'verification.checked',
    );
    expect(checked?.context).toEqual({ ip: '203.0.113.9', userAgent: 'checkpoint-test' });
  });
});
