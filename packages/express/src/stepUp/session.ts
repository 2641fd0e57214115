import { randomBytes } from 'node:crypto';
import type { AuthState, Factor } from '@checkpoint/policy';
import type { Request } from 'express';

/**
 * What Checkpoint keeps in `req.session.checkpoint`: the DESIGN's AuthState (user, tenant,
 * factors) plus the session's timing and its own key.
 *
 * Nothing here carries authority that a stale copy of the session could bring back: step-up
 * grants, the action a step-up is for and sign-outs live in the Store (`checkpoint.tickets`),
 * keyed by `sessionKey`. A request that saves an old copy of the session restores factors the
 * user had already proved, never a spent grant or a signed-out session.
 */
export interface StepUpSession extends AuthState {
  /** Epoch ms the session was authenticated (reset when assurance rises). */
  startedAt: number;
  /** Epoch ms of the last request through a Checkpoint guard (written about once a minute). */
  lastActivityAt: number;
  /**
   * This signed-in session's own random key: kept across the id regenerations of a step-up,
   * new at every sign-in. Grants and sign-outs are recorded against it.
   */
  sessionKey?: string;
  /** Epoch ms the user signed in to this session (a password reset revokes sessions signed in before it). */
  signedInAt?: number;
  /** An SSO step-up under way: the @checkpoint/oidc transaction id and the checkpoint it is for. */
  sso?: { transaction: string; checkpoint: string };
}

/** The parts of an express-session `Session` this package uses. */
export interface SessionLike {
  id: string;
  regenerate(callback: (error?: unknown) => void): void;
  save(callback: (error?: unknown) => void): void;
  [key: string]: unknown;
}

/** @internal The request's session, or a TypeError saying that express-session must come first. */
export function sessionOf(req: Request): SessionLike {
  const session = (req as Request & { session?: SessionLike }).session;
  if (session === undefined || typeof session.regenerate !== 'function') {
    throw new TypeError(
      'Checkpoint step-up needs sessions: mount express-session (app.use(session({ … }))) before it',
    );
  }
  return session;
}

/**
 * @internal
 * The step-up state of this session, if a user is signed in. A state written by another writer
 * without timing (e.g. @checkpoint/passport's `completeLogin`) is timed from its latest factor.
 */
export function readState(req: Request): StepUpSession | undefined {
  const state = sessionOf(req)['checkpoint'] as Partial<StepUpSession> | null | undefined;
  if (
    typeof state !== 'object' ||
    state === null ||
    typeof state.userId !== 'string' ||
    !Array.isArray(state.factors)
  ) {
    return undefined;
  }
  const factors = state.factors as readonly Factor[];
  const times = factors.map((held) => (Number.isFinite(held.at) ? held.at : 0));
  const latest = Math.max(0, ...times);
  const startedAt = Number.isFinite(state.startedAt) ? (state.startedAt as number) : latest;
  const lastActivityAt = Number.isFinite(state.lastActivityAt)
    ? (state.lastActivityAt as number)
    : startedAt;
  // A session written without one (another writer) signed in with its earliest factor.
  const signedInAt = Number.isFinite(state.signedInAt)
    ? (state.signedInAt as number)
    : Math.min(startedAt, ...times);
  return { ...(state as StepUpSession), startedAt, lastActivityAt, signedInAt };
}

/** @internal A new random session key (128 bits, base64url). */
export function newSessionKey(): string {
  return randomBytes(16).toString('base64url');
}

/** @internal Replaces the step-up state of this session. */
export function writeState(req: Request, state: StepUpSession | undefined): void {
  const session = sessionOf(req);
  if (state === undefined) delete session['checkpoint'];
  else session['checkpoint'] = state;
}

/**
 * @internal
 * Gives the session a new id, keeping its data (so a login made before survives): the old id —
 * which an attacker may have planted — carries nothing afterwards.
 * @see OWASP ASVS 5 V7.2.4; SECURITY-NOTES item 43 (session fixation)
 */
export async function regenerateSession(req: Request, keep = true): Promise<void> {
  const session = sessionOf(req);
  const data: Record<string, unknown> = {};
  if (keep) {
    for (const [key, value] of Object.entries(session)) {
      if (key !== 'cookie' && key !== 'id' && typeof value !== 'function') data[key] = value;
    }
  }
  await new Promise<void>((resolve, reject) =>
    session.regenerate((error) =>
      error === undefined || error === null ? resolve() : reject(asError(error)),
    ),
  );
  const fresh = sessionOf(req);
  Object.assign(fresh, data);
  await saveSession(req);
}

/** @internal Saves the session now (before a response that depends on it). */
export function saveSession(req: Request): Promise<void> {
  const session = sessionOf(req);
  return new Promise<void>((resolve, reject) =>
    session.save((error) =>
      error === undefined || error === null ? resolve() : reject(asError(error)),
    ),
  );
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
