// An app with the whole password-reset journey: the reset code through otpRouter (account name
// in, no enumeration), the new password behind @checkpoint/policy's `password_reset` checkpoint,
// then a normal password + OTP login through Passport. A reset never signs anyone in: the login
// after it still needs both factors (OWASP ASVS 5 V6.4.3).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { type Checkpoint, isCheckpointError, type Verification } from '@checkpoint/core';
import { otpRouter } from '@checkpoint/express';
import {
  beginSecondFactor,
  type CheckpointSessionData,
  completeLogin,
  OtpStrategy,
  otpFactor,
  pendingUserId,
  requestContext,
} from '@checkpoint/passport';
import { evaluate, type Factor } from '@checkpoint/policy';
import express, {
  type Express,
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import session from 'express-session';
import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';

declare module 'express-session' {
  interface SessionData extends CheckpointSessionData {
    /** The account whose reset code was approved, and the factor it proved. */
    reset?: { userId: string; factor: Factor };
  }
}

export interface ResetUser {
  id: string;
  username: string;
  phone: string;
  salt: string;
  hash: string;
}

// The test hashes passwords with salted SHA-256 to stay fast; an app uses scrypt or argon2.
const digest = (password: string, salt: string) =>
  createHash('sha256').update(`${salt}:${password}`).digest();

export function resetUser(id: string, username: string, phone: string, password: string) {
  const salt = randomBytes(8).toString('hex');
  return { id, username, phone, salt, hash: digest(password, salt).toString('hex') };
}

function passwordMatches(user: ResetUser, password: string): boolean {
  return timingSafeEqual(digest(password, user.salt), Buffer.from(user.hash, 'hex'));
}

export interface ResetAppOptions {
  checkpoint: Checkpoint;
  secret: string;
  users: ResetUser[];
  /** The app's clock for the checkpoint's freshness. @default Date.now */
  now?: () => number;
}

export function resetApp({ checkpoint, secret, users, now = Date.now }: ResetAppOptions): Express {
  const byId = (id: string | undefined) => users.find((user) => user.id === id);
  const auth = new passport.Passport();
  auth.use(
    new LocalStrategy((username, password, done) => {
      const user = users.find((candidate) => candidate.username === username);
      done(null, user !== undefined && passwordMatches(user, password) ? user : false);
    }),
  );
  auth.use(
    new OtpStrategy({ checkpoint, purpose: 'login', subject: pendingUserId }, (v, done) =>
      done(null, byId(v.subject) ?? false),
    ),
  );
  auth.serializeUser((user, done) => done(null, (user as ResetUser).id));
  auth.deserializeUser((id: string, done) => done(null, byId(id) ?? false));

  const app = express();
  app.use(session({ secret, resave: false, saveUninitialized: false }));
  app.use(auth.session());

  // 1. "Forgot password": the account name in, a code to the account's phone out. An unknown
  //    name gets the same 202 with a decoy id.
  app.use(
    '/reset/otp',
    otpRouter(checkpoint, {
      secret,
      purposes: ['password_reset'],
      resolveDestination: (_req, body) => {
        const user = users.find((candidate) => candidate.username === body.to);
        return user === undefined ? undefined : { phone: user.phone };
      },
      onApproved: async (req: Request, verification: Verification) => {
        const user = users.find((candidate) => candidate.phone === verification.to.phone?.e164);
        if (user === undefined) return;
        // A proof of possession is a partial authentication: a new session id (ASVS V7.2.4).
        await new Promise<void>((resolve, reject) =>
          req.session.regenerate((err) => (err ? reject(err as Error) : resolve())),
        );
        req.session.reset = { userId: user.id, factor: otpFactor(verification, { at: now() }) };
      },
    }),
  );

  // 2. The new password, only behind a fresh `password_reset` checkpoint; the proof is single-use.
  app.post('/reset/password', express.json({ limit: '2kb' }), (req: Request, res: Response) => {
    const { password } = (req.body ?? {}) as { password?: unknown };
    if (typeof password !== 'string' || password.length < 12 || password.length > 256) {
      return res.status(400).json({ error: 'invalid_request' });
    }
    const reset = req.session.reset;
    const state =
      reset === undefined
        ? undefined
        : { userId: reset.userId, tenantId: 'default', factors: [reset.factor] };
    const result = evaluate('password_reset', state, { id: 'default' }, now());
    const user = byId(reset?.userId);
    if (!result.satisfied || user === undefined) {
      return res.status(401).json({ error: 'step_up_required', checkpoint: 'password_reset' });
    }
    user.salt = randomBytes(8).toString('hex');
    user.hash = digest(password, user.salt).toString('hex');
    delete req.session.reset;
    res.status(204).end();
  });

  // 3. Login: password, then a code bound to the pending user.
  app.post(
    '/login/password',
    express.json({ limit: '2kb' }),
    auth.authenticate('local', { session: false }) as RequestHandler,
    async (req: Request, res: Response) => {
      const user = req.user as ResetUser;
      await beginSecondFactor(req, { userId: user.id });
      const { id } = await checkpoint.send({
        to: user.phone,
        purpose: 'login',
        subject: user.id,
        context: requestContext(req),
      });
      res.status(202).json({ id });
    },
  );
  app.post('/login/otp', express.json({ limit: '2kb' }), (req, res, next) => {
    (
      auth.authenticate(
        'checkpoint-otp',
        (err: unknown, user?: Express.User | false | null, info?: unknown) => {
          if (err) return next(err);
          if (!user) return res.status(401).json({ error: 'not_accepted' });
          completeLogin(req, { user, info }).then(
            (result) => res.status(result.authenticated ? 200 : 401).json(result.state),
            next,
          );
        },
      ) as RequestHandler
    )(req, res, next);
  });
  app.get('/me', (req: Request, res: Response) => {
    if (req.user === undefined) return res.status(401).json({ error: 'login_required' });
    res.json({ userId: (req.user as ResetUser).id });
  });
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (isCheckpointError(err)) return res.status(err.status).json(err.toJSON());
    res.status(500).json({ error: 'internal_error' });
  });
  return app;
}
