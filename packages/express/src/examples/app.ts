import { type Channel, createCheckpoint } from '@checkpoint/core';
import { errorHandler, otpRouter } from '@checkpoint/express';
import express, { type Express } from 'express';
import session from 'express-session';

declare module 'express-session' {
  interface SessionData {
    user?: string;
  }
}

const secret = process.env['CHECKPOINT_SECRET'] ?? 'dev-only-secret-0123456789abcdefghij';
// Your user store: account name -> phone number.
const phones = new Map([['ada', '+14155550100']]);
const owners = new Map([...phones].map(([user, phone]) => [phone, user]));

/** Passwordless login by SMS code: POST /otp/send { to: 'ada', purpose: 'login' }, then /otp/check. */
export function createApp(channels: Channel[]): Express {
  const checkpoint = createCheckpoint({ secret, channels });
  const app = express();
  app.set('trust proxy', 'loopback'); // exactly the proxy hops you run, never `true`
  app.use(session({ secret, resave: false, saveUninitialized: false }));
  app.use(
    '/otp',
    otpRouter(checkpoint, {
      secret,
      purposes: ['login'],
      // Unknown names get a decoy: same answers, no SMS, no hint that the account does not exist.
      resolveDestination: (_req, body) => phones.get(body.to),
      onApproved: async (req, verification) => {
        // A new session id on sign-in (ASVS V7.2.4), then remember who signed in.
        await new Promise<void>((resolve, reject) =>
          req.session.regenerate((err?: Error) => (err ? reject(err) : resolve())),
        );
        const user = owners.get(verification.to.phone?.e164 ?? '');
        if (user !== undefined) req.session.user = user;
      },
    }),
  );
  app.get('/me', (req, res) => {
    res.json({ user: req.session.user ?? null });
  });
  app.use(errorHandler());
  return app;
}
