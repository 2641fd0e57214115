// The README's passwordless example: a code by SMS names the user; it is one factor, so the
// login completes only with a second one (here the password) — an SMS code alone is AAL1.
import { type Checkpoint, isCheckpointError } from '@checkpoint/core';
import express, {
  type Express,
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import session from 'express-session';
import passport from 'passport';
import {
  completeLogin,
  type LoginResult,
  OtpStrategy,
  passwordFactor,
  pendingUserId,
  requestContext,
} from '../index.js';
import { type DemoUser, passwordMatches } from './users.js';

export interface PasswordlessAppOptions {
  checkpoint: Checkpoint;
  users: readonly DemoUser[];
  sessionSecret?: string;
}

export function passwordlessApp({
  checkpoint,
  users,
  sessionSecret = process.env.SESSION_SECRET ?? 'dev-only-session-secret-change-me',
}: PasswordlessAppOptions): Express {
  const byId = new Map(users.map((user) => [user.id, user]));
  const auth = new passport.Passport();

  // The approved verification proves the phone number; the number names the user.
  auth.use(
    new OtpStrategy({ checkpoint, purpose: 'login' }, (verification, done) => {
      const phone = verification.to.phone?.e164;
      done(null, users.find((user) => user.phone === phone) ?? false);
    }),
  );
  auth.serializeUser((user, done) => done(null, (user as DemoUser).id));
  auth.deserializeUser((id: string, done) => done(null, byId.get(id) ?? false));

  const app = express();
  app.use(express.json({ limit: '4kb' }));
  app.use(session({ secret: sessionSecret, resave: false, saveUninitialized: false }));
  app.use(auth.session());

  const answer = (res: Response) => (result: LoginResult) => {
    const factors = result.state.factors.map((f) => f.method);
    if (result.authenticated) return res.json({ userId: result.state.userId, factors });
    // The login checkpoint (AAL2) is not met yet: say which methods would complete it.
    res
      .status(401)
      .json({ error: 'second_factor_required', factors, methods: result.needed.methods });
  };

  // Every well-formed number gets a code, known or not: the answer says nothing about accounts.
  // Core's velocity caps and send guards bound what this costs.
  app.post('/login/otp/send', async (req: Request, res: Response) => {
    const { phone } = (req.body ?? {}) as { phone?: unknown };
    if (typeof phone !== 'string') return res.status(400).json({ error: 'invalid_request' });
    const { id, expiresAt } = await checkpoint.send({
      to: phone,
      purpose: 'login',
      context: requestContext(req),
    });
    res.status(202).json({ id, expiresAt });
  });

  app.post('/login/otp', (req: Request, res: Response, next: NextFunction) => {
    (
      auth.authenticate(
        'checkpoint-otp',
        (err: unknown, user?: Express.User | false | null, info?: unknown, status?: unknown) => {
          if (err) return next(err);
          if (!user) return res.status(typeof status === 'number' ? status : 401).json(info);
          completeLogin(req, { user, info }).then(answer(res), next);
        },
      ) as RequestHandler
    )(req, res, next);
  });

  // The second factor of the user the code named: their password.
  app.post('/login/password', (req: Request, res: Response, next: NextFunction) => {
    const { password } = (req.body ?? {}) as { password?: unknown };
    const user = byId.get(pendingUserId(req) ?? '');
    if (user === undefined || typeof password !== 'string' || !passwordMatches(user, password)) {
      return res.status(401).json({ error: 'not_accepted' });
    }
    completeLogin(req, { user, factors: [passwordFactor()] }).then(answer(res), next);
  });

  app.get('/me', (req: Request, res: Response) => {
    if (req.user === undefined) return res.status(401).json({ error: 'not_logged_in' });
    res.json({ userId: (req.user as DemoUser).id });
  });

  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (isCheckpointError(err)) return res.status(err.status).json(err.toJSON());
    res.status(500).json({ error: 'internal_error' });
  });
  return app;
}
