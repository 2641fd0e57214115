import { assuranceOf, sessionExpired, type TenantPolicy } from '@checkpoint/policy';
import type { Request } from 'express';
import type { Revocations } from './revocations.js';
import {
  newSessionKey,
  readState,
  regenerateSession,
  type StepUpSession,
  writeState,
} from './session.js';

// Activity is recorded at most this often: writing it on every request would save the session on
// every request, and an inactivity limit of 15 minutes or more does not need finer time.
const ACTIVITY_RESOLUTION_MS = 60_000;

/** What {@link currentSession} finds. */
export type CurrentSession =
  | { state: StepUpSession & { sessionKey: string }; tenant: TenantPolicy }
  | { state: undefined; why: 'login_required' | 'session_expired' };

/**
 * @internal
 * The request's signed-in session, once it has passed the server-side checks: not signed out or
 * revoked (markers in the Store, which a stale copy of the session cannot undo), and within the
 * inactivity and absolute limits of its assurance level. A session that fails is cleared and
 * given a new id (a revoked one reads as signed out, an expired one says so). Records activity
 * about once a minute.
 *
 * @see OWASP ASVS 5 V7.3.1, V7.3.2 (timeouts), V7.4.1 (server-side logout); NIST SP 800-63B rev 4 §5.2
 */
export async function currentSession(
  req: Request,
  host: {
    revocations: Revocations;
    tenantPolicy: (req: Request) => TenantPolicy | Promise<TenantPolicy>;
    now: () => number;
  },
): Promise<CurrentSession> {
  const state = readState(req);
  if (state === undefined) return { state: undefined, why: 'login_required' };
  const [revoked, tenant] = await Promise.all([
    host.revocations.revoked(state),
    host.tenantPolicy(req),
  ]);
  if (revoked) {
    await endSession(req);
    return { state: undefined, why: 'login_required' };
  }
  const at = host.now();
  const aal = Math.max(1, assuranceOf(state.factors, tenant, { now: at }).aal) as 1 | 2 | 3;
  const expiry = sessionExpired(
    { aal, startedAt: state.startedAt, lastActivityAt: state.lastActivityAt },
    at,
  );
  if (expiry.expired) {
    await endSession(req);
    return { state: undefined, why: 'session_expired' };
  }
  const stale = at - state.lastActivityAt >= ACTIVITY_RESOLUTION_MS;
  if (!stale && state.sessionKey !== undefined) {
    return { state: state as StepUpSession & { sessionKey: string }, tenant };
  }
  // A session written by another writer gets its key on first use.
  const current = {
    ...state,
    sessionKey: state.sessionKey ?? newSessionKey(),
    lastActivityAt: stale ? at : state.lastActivityAt,
  };
  writeState(req, current);
  return { state: current, tenant };
}

/** @internal Clears the session (and the user Passport deserialised for this request). */
export async function endSession(req: Request): Promise<void> {
  writeState(req, undefined);
  await regenerateSession(req, false);
  // passport.session() may already have read the user from the old copy.
  if ('user' in req) delete (req as { user?: unknown }).user;
}
