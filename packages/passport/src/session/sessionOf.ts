import type { Request } from 'express';
import type { CheckpointSessionData } from '../authState/AuthState.js';

/** @internal The part of an express-session `Session` this package uses. */
export interface SessionLike extends CheckpointSessionData {
  regenerate(callback: (err?: unknown) => void): unknown;
  save(callback?: (err?: unknown) => void): unknown;
}

/** @internal `req.session`, or a TypeError that says which middleware is missing. */
export function sessionOf(req: Request, caller: string): SessionLike {
  const session = (req as { session?: unknown }).session;
  if (
    typeof session !== 'object' ||
    session === null ||
    typeof (session as SessionLike).regenerate !== 'function' ||
    typeof (session as SessionLike).save !== 'function'
  ) {
    throw new TypeError(
      `${caller} requires a session: add express-session (or a store with regenerate and save) before this route`,
    );
  }
  return session as SessionLike;
}

/** @internal Promise form of `session.regenerate`: a new session id, empty data. */
export function regenerate(req: Request, caller: string): Promise<SessionLike> {
  return new Promise((resolve, reject) => {
    sessionOf(req, caller).regenerate((err) => {
      if (err) reject(asError(err));
      else resolve(sessionOf(req, caller));
    });
  });
}

/** @internal Promise form of `session.save`. */
export function save(session: SessionLike): Promise<void> {
  return new Promise((resolve, reject) => {
    session.save((err) => {
      if (err) reject(asError(err));
      else resolve();
    });
  });
}

/** @internal */
export function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value), { cause: value });
}
