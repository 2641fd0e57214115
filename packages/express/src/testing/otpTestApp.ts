import {
  type Checkpoint,
  type CheckpointOptions,
  createCheckpoint,
  InProcessScheduler,
  type Logger,
  MemoryStore,
  type OutboxChannel,
  outboxChannel,
  type Store,
} from '@checkpoint/core';
import { ManualClock } from '@checkpoint/core/testing';
import express, { type Express } from 'express';
import session from 'express-session';
import { otpRouter } from '../otp/otpRouter.js';
import type { OtpRouterOptions } from '../otp/OtpRouterOptions.js';

declare module 'express-session' {
  interface SessionData {
    user?: string;
  }
}

/** Every field a route answers with; supertest types response bodies as `any`. */
export interface Answer {
  id: string;
  channel: string;
  expiresAt: number;
  status: string;
  remainingAttempts: number;
  error: string;
  message: string;
  retryAfter: number;
}

/** A response body, typed for reading in tests. */
export function answer(res: { body: unknown }): Answer {
  return res.body as Answer;
}

/** Secret for these tests only. */
export const TEST_SECRET = 'express-tests-secret-0123456789abcdef';
export const PHONE = '+14155550100';
export const OTHER_PHONE = '+14155550111';

/** A logger that keeps every line, for tests that read what was logged. */
export function captureLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const keep =
    (level: string) =>
    (fields: Record<string, unknown>, message?: string): void => {
      lines.push(`${level} ${message ?? ''} ${JSON.stringify(fields, replaceErrors)}`);
    };
  return {
    lines,
    debug: keep('debug'),
    info: keep('info'),
    warn: keep('warn'),
    error: keep('error'),
  };
}

function replaceErrors(_key: string, value: unknown): unknown {
  return value instanceof Error ? { name: value.name, message: value.message } : value;
}

export interface OtpTestApp {
  app: Express;
  checkpoint: Checkpoint;
  clock: ManualClock;
  sms: OutboxChannel;
  email: OutboxChannel;
  /** The latest code sent to `to` (SMS unless the destination is an email address). */
  codeFor: (to: string) => string;
  /** A code that is certainly not `code`. */
  wrongFor: (code: string) => string;
}

/**
 * A real express app with express-session (`POST /login { user }` signs in), an otpRouter at
 * `/otp` and a checkpoint on a MemoryStore (or `store`) with SMS and email outboxes and a manual
 * clock shared with the router.
 */
export function otpTestApp(
  input: {
    router?: Partial<OtpRouterOptions>;
    checkpoint?: Partial<CheckpointOptions>;
    store?: Store;
    /** Runs on the app before anything is mounted (e.g. `app.set('trust proxy', …)`). */
    configure?: (app: Express) => void;
  } = {},
): OtpTestApp {
  const clock = new ManualClock();
  const sms = outboxChannel({ name: 'sms' });
  const email = outboxChannel({ name: 'email', kind: 'email' });
  const checkpoint = createCheckpoint({
    secret: TEST_SECRET,
    channels: [sms, email],
    store: input.store ?? new MemoryStore(),
    clock,
    scheduler: new InProcessScheduler({ clock }),
    ...input.checkpoint,
  });
  const app = express();
  input.configure?.(app);
  app.use(session({ secret: TEST_SECRET, resave: false, saveUninitialized: false, name: 'sid' }));
  app.post('/login', express.json(), (req, res) => {
    req.session.user = (req.body as { user: string }).user;
    res.status(204).end();
  });
  app.use('/otp', otpRouter(checkpoint, { secret: TEST_SECRET, clock, ...input.router }));
  return {
    app,
    checkpoint,
    clock,
    sms,
    email,
    codeFor: (to) => (to.includes('@') ? email : sms).latest(to)?.code ?? '',
    wrongFor: (code) => (code === '000000' ? '111111' : '000000'),
  };
}
