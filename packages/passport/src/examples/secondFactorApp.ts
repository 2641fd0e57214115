// The README's second-factor example: password (passport-local), then a code by SMS (OtpStrategy).
import { type Checkpoint, isCheckpointError } from '@checkpoint/core';
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
import {
  beginSecondFactor,
  type CheckpointSessionData,
  completeLogin,
  OtpStrategy,
  pendingUserId,
  requestContext,
} from '../index.js';
import { type DemoUser, passwordMatches as scryptMatches } from './users.js';

declare module 'express-session' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface SessionData extends CheckpointSessionData {}
}

export interface SecondFactorAppOptions {
  checkpoint: Checkpoint;
  users: readonly DemoUser[];
  /** @default express-session's MemoryStore (one process only) */
  sessionStore?: Store;
  sessionSecret?: string;
  /** How a password is compared with a user's hash. @default scrypt (users.ts `passwordMatches`) */
  passwordMatches?: (user: DemoUser, password: string) => boolean;
}

export function secondFactorApp({
  checkpoint,
  users,
  sessionStore,
  sessionSecret = process.env.SESSION_SECRET ?? 'dev-only-session-secret-change-me',
  passwordMatches = scryptMatches,
}: SecondFactorAppOptions): Express {
  const byId = new Map(users.map((user) => [user.id, user]));
  const auth = new passport.Passport();

  // Factor 1: the password.
  auth.use(
    new LocalStrategy((username, password, done) => {
      const user = users.find((candidate) => candidate.username === username);
      done(null, user !== undefined && passwordMatches(user, password) ? user : false);
    }),
  );
  // Factor 2: a code bound to the user who passed factor 1 (`subject: pendingUserId`).
  auth.use(
    new OtpStrategy(
      { checkpoint, purpose: 'login', subject: pendingUserId },
      (verification, done) => {
        done(null, byId.get(verification.subject ?? '') ?? false);
      },
    ),
  );
  auth.serializeUser((user, done) => done(null, (user as DemoUser).id));
  auth.deserializeUser((id: string, done) => done(null, byId.get(id) ?? false));

  const app = express();
  app.use(express.json({ limit: '4kb' }));
  app.use(
    session({
      secret: sessionSecret,
      resave: false,
      saveUninitialized: false,
      cookie: { httpOnly: true, sameSite: 'lax' }, // and `secure: true` behind HTTPS
      ...(sessionStore === undefined ? {} : { store: sessionStore }),
    }),
  );
  app.use(auth.session());

  // The password alone logs nobody in: it marks the session as half-done and sends a code.
  app.post(
    '/login/password',
    auth.authenticate('local', { session: false }) as RequestHandler,
    async (req: Request, res: Response) => {
      const user = req.user as DemoUser;
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

  // The code completes the login: req.login (new session id) and the AuthState.
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

  app.get('/me', (req: Request, res: Response) => {
    if (req.user === undefined) return res.status(401).json({ error: 'not_logged_in' });
    res.json({ userId: (req.user as DemoUser).id, auth: req.session.checkpoint });
  });

  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (isCheckpointError(err)) return res.status(err.status).json(err.toJSON());
    res.status(500).json({ error: 'internal_error' });
  });
  return app;
}
