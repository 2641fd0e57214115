// The three Express apps the HTTP bench puts under load (built in the server thread).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Checkpoint } from '@checkpoint/core';
import { otpRouter } from '@checkpoint/express';
import { secondFactorApp } from '@checkpoint/passport/examples';
import express, { type Express, type Request, type RequestHandler, type Response } from 'express';
import type { Store } from 'express-session';
import type { BenchUser } from './protocol.js';

/** The same body parser the router mounts on each of its routes. */
const jsonBody = (): RequestHandler =>
  express.json({ limit: '8kb', strict: true, type: 'application/json' });

/**
 * The limit: a bare Express 5 JSON endpoint that makes one Redis call and answers JSON shaped
 * like a check's answer. It reads `{ id, code }` and checks that both are strings, no more.
 */
export function limitApp(oneRedisCall: () => Promise<unknown>): Express {
  const app = express();
  app.post('/limit', jsonBody(), async (req: Request, res: Response) => {
    const body = req.body as { id?: unknown; code?: unknown } | undefined;
    if (typeof body?.id !== 'string' || typeof body.code !== 'string') {
      res.status(400).json({ error: 'invalid_request' });
      return;
    }
    await oneRedisCall();
    res.status(200).json({ status: 'approved', remainingAttempts: 0 });
  });
  return app;
}

/**
 * `otpRouter` as an app mounts it: one purpose (so `/check` binds it), the failed-check limiter
 * on but with limits no bench run reaches (every check here approves; the limiter's in-process
 * test still runs on each request).
 */
export function otpApp(checkpoint: Checkpoint, secret: string): Express {
  const app = express();
  const never = { limit: 1_000_000_000, windowSeconds: 900 };
  app.use(
    '/otp',
    otpRouter(checkpoint, {
      secret,
      purposes: ['login'],
      failedChecks: { perIp: never, perSubject: never },
    }),
  );
  return app;
}

/**
 * The password + OTP login of `@checkpoint/passport`'s README (its `secondFactorApp` example),
 * with one change: passwords are compared as SHA-256 digests, not scrypt hashes, so the figure is
 * Checkpoint's, Passport's and the session's work, not the password hash's (run.ts reports what
 * a scrypt hash would add).
 */
export function loginApp({
  checkpoint,
  users,
  sessionStore,
  sessionSecret,
}: {
  checkpoint: Checkpoint;
  users: readonly BenchUser[];
  sessionStore: Store;
  sessionSecret: string;
}): Express {
  const digest = (text: string): Buffer => createHash('sha256').update(text).digest();
  return secondFactorApp({
    checkpoint,
    users: users.map(({ id, username, phone, password }) => ({
      id,
      username,
      phone,
      passwordSalt: '',
      passwordHash: digest(password).toString('base64url'),
    })),
    sessionStore,
    sessionSecret,
    passwordMatches: (user, password) =>
      timingSafeEqual(digest(password), Buffer.from(user.passwordHash, 'base64url')),
  });
}
