import { type Factor, type TenantPolicy, addFactor, assuranceOf } from '@checkpoint/policy';
import type { Request } from 'express';
import {
  newSessionKey,
  readState,
  regenerateSession,
  type StepUpSession,
  writeState,
} from './session.js';

/** Options of {@link recordFactor}. */
export interface RecordFactorOptions {
  /** The user this factor authenticates: required for the first factor of a session (a login). */
  userId?: string;
  /** The user's tenant, with `userId`. @default tenant.id */
  tenantId?: string;
  /** The tenant's policy, to judge whether assurance rose. @default { id: tenantId ?? 'default' } */
  tenant?: TenantPolicy;
  /** Epoch milliseconds. @default Date.now() */
  now?: number;
}

/**
 * Records an authentication factor on the session's AuthState (`req.session.checkpoint`) and
 * regenerates the session id (keeping the session's data): every authentication and every
 * re-authentication — a login, a second factor, a step-up, also one that re-proves a factor
 * without raising the AAL — gets a new id, so an id planted or seen before carries nothing. When
 * the factor raises the session's assurance, the session's absolute timer restarts too.
 *
 * @example
 * await recordFactor(req, factor('pwd', { at: Date.now() }), { userId: user.id, tenantId: user.tenantId });
 * @see OWASP ASVS 5 V7.2.4 (new session token on authentication and re-authentication); NIST SP 800-63B rev 4 §5.1
 */
export async function recordFactor(
  req: Request,
  added: Factor,
  options: RecordFactorOptions = {},
): Promise<StepUpSession> {
  const now = options.now ?? Date.now();
  const current = readState(req);
  const userId = options.userId ?? current?.userId;
  if (userId === undefined) {
    throw new TypeError(
      'recordFactor needs { userId } for the first factor of a session (the login)',
    );
  }
  const tenantId =
    options.tenantId ??
    (current?.userId === userId ? current.tenantId : undefined) ??
    options.tenant?.id ??
    'default';
  const tenant = options.tenant ?? { id: tenantId };
  const sameUser =
    current !== undefined && current.userId === userId && current.tenantId === tenantId;
  const base: StepUpSession = sameUser
    ? current
    : {
        userId,
        tenantId,
        factors: [],
        startedAt: now,
        lastActivityAt: now,
        sessionKey: newSessionKey(),
        signedInAt: now,
      };
  const before = sameUser ? assuranceOf(base.factors, tenant, { now }).aal : -1;
  const next: StepUpSession = { ...base, ...addFactor(base, added), lastActivityAt: now };
  next.sessionKey ??= newSessionKey();
  const rose = assuranceOf(next.factors, tenant, { now }).aal > before;
  if (rose) next.startedAt = now;
  writeState(req, next);
  await regenerateSession(req);
  return next;
}
