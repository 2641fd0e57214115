// The three Express apps the HTTP bench puts under load (built in the server thread).
import { createHash, timingSafeEqual } from 'node:crypto';
import { type Checkpoint, isCheckpointError } from '@checkpoint/core';
import { otpRouter } from '@checkpoint/express';
import {
  beginSecondFactor,
  type CheckpointSessionData,
  completeLogin,
  OtpStrategy,
  pendingUserId,
  requestContext,
} from '@checkpoint/passport';
import express, {
  type Express,
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import session, { type Store } from 'express-session';
import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import type { BenchUser } from './protocol.js';

declare module 'express-session' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface SessionData extends CheckpointSessionData {}
}

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
 * The password + OTP login of `@checkpoint/passport`'s README (src/examples/secondFactorApp.ts),
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
  const byId = new Map(users.map((user) => [user.id, user]));
  const byName = new Map(
    users.map((user) => [user.username, { user, hash: digest(user.password) }]),
  );
  const auth = new passport.Passport();

  auth.use(
    new LocalStrategy((username, password, done) => {
      const entry = byName.get(username);
      const matches = entry !== undefined && timingSafeEqual(digest(password), entry.hash);
      done(null, matches ? entry.user : false);
    }),
  );
  auth.use(
    new OtpStrategy(
      { checkpoint, purpose: 'login', subject: pendingUserId },
      (verification, done) => {
        done(null, byId.get(verification.subject ?? '') ?? false);
      },
    ),
  );
  auth.serializeUser((user, done) => done(null, (user as BenchUser).id));
  auth.deserializeUser((id: string, done) => done(null, byId.get(id) ?? false));

  const app = express();
  app.use(express.json({ limit: '4kb' }));
  app.use(
    session({
      secret: sessionSecret,
      resave: false,
      saveUninitialized: false,
      cookie: { httpOnly: true, sameSite: 'lax' },
      store: sessionStore,
    }),
  );
  app.use(auth.session());

  app.post(
    '/login/password',
    auth.authenticate('local', { session: false }) as RequestHandler,
    async (req: Request, res: Response) => {
      const user = req.user as BenchUser;
      await beginSecondFactor(req, { userId: user.id });
      const { id, expiresAt } = await checkpoint.send({
        to: user.phone,
        purpose: 'login',
        subject: user.id,
        context: requestContext(req),
      });
      res.status(202).json({ id, expiresAt });
    },
  );

  app.post('/login/otp', (req: Request, res: Response, next: NextFunction) => {
    (
      auth.authenticate(
        'checkpoint-otp',
        (err: unknown, user?: Express.User | false | null, info?: unknown, status?: unknown) => {
          if (err) return next(err);
          if (!user) return res.status(typeof status === 'number' ? status : 401).json(info);
          completeLogin(req, { user, info }).then((result) => {
            const factors = result.state.factors.map((f) => f.method);
            if (result.authenticated) return res.json({ userId: result.state.userId, factors });
            res
              .status(401)
              .json({ error: 'second_factor_required', methods: result.needed.methods });
          }, next);
        },
      ) as RequestHandler
    )(req, res, next);
  });

  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (isCheckpointError(err)) return res.status(err.status).json(err.toJSON());
    res.status(500).json({ error: 'internal_error' });
  });
  return app;
}
