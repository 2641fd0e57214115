import type { CheckpointSessionData } from '@checkpoint/passport';
import type { Request } from 'express';

/** A one-time-code step of a form flow (login, signup, reset), kept in the session, never the code. */
export interface OtpFlow {
  kind: 'login' | 'signup' | 'reset';
  /** Undefined for an unknown account in password reset: the page behaves the same, no code exists. */
  verificationId?: string;
  /** Where the code went, masked, for the page. */
  sentTo: string;
  channel: string;
  /** Epoch ms from which "Resend" is allowed. */
  resendAt: number;
  resends: number;
  tenantId: string;
  userId?: string;
  returnTo?: string;
  notice?: string;
  /** A password login: a successful second factor may remember this browser (opt-in checkbox). */
  offerRemember?: boolean;
}

/** A sign-up waiting for its phone to be verified: the password is already a scrypt hash. */
export interface PendingSignup {
  name: string;
  email: string;
  phone: string;
  tenantId: string;
  password: { salt: string; hash: string };
}

declare module 'express-session' {
  interface SessionData extends CheckpointSessionData {
    flow?: OtpFlow;
    signup?: PendingSignup;
    ssoLogin?: { transaction: string; tenantId: string };
    flash?: string;
  }
}

/** Reads and clears the one-time notice set before a redirect. */
export function takeFlash(req: Request): string | undefined {
  const flash = req.session.flash;
  delete req.session.flash;
  return flash;
}

/** A new session id with an empty session (express-session's regenerate, as a promise). */
export function regenerate(req: Request): Promise<void> {
  return new Promise((resolve, reject) => {
    req.session.regenerate((error?: unknown) =>
      error === undefined || error === null ? resolve() : reject(toError(error)),
    );
  });
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
