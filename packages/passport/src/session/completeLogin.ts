import type { Request } from 'express';
import type { AuthFactor, AuthState } from '../authState/AuthState.js';
import type { OtpSuccessInfo } from '../strategy/outcomes.js';
import { asError, save, sessionOf } from './sessionOf.js';

/**
 * Options of {@link completeLogin}.
 *
 * @example
 * const options: CompleteLoginOptions = { user, info, userId: (u) => (u as Account).accountId };
 */
export interface CompleteLoginOptions {
  /** The authenticated user. @default req.user */
  user?: Express.User | false | null | undefined;
  /** The OtpStrategy's success info (`factor`, `verification`). @default req.authInfo */
  info?: unknown;
  /** The id of a user object. @default (user) => user.id */
  userId?: (user: Express.User) => string;
}

/**
 * Finishes an OTP login: `req.login(user)` — which since passport 0.6 regenerates the session, so
 * the session id changes — then records `req.session.checkpoint` = `{ userId, tenantId, factors }`
 * and saves the session. The factors are the pending ones from {@link beginSecondFactor} when they
 * belong to this same user (a password proved for user A never counts for user B), followed by
 * the OTP's factor. Resolves with the recorded AuthState.
 *
 * Call it from a custom `passport.authenticate` callback with `{ user, info }`, or after
 * `passport.authenticate('checkpoint-otp', { session: false })` with no options (it then reads
 * `req.user` and `req.authInfo`).
 *
 * @example
 * passport.authenticate('checkpoint-otp', (err, user, info, status) => {
 *   if (err) return next(err);
 *   if (!user) return res.status(status ?? 401).json(info);
 *   completeLogin(req, { user, info }).then((state) => res.json(state), next);
 * })(req, res, next);
 * @see https://nvd.nist.gov/vuln/detail/CVE-2022-25896 (fixed in passport 0.6 by regenerating the session on login)
 */
export async function completeLogin(
  req: Request,
  { user = req.user, info = req.authInfo, userId = defaultUserId }: CompleteLoginOptions = {},
): Promise<AuthState> {
  if (typeof user !== 'object' || user === null) {
    throw new TypeError(
      'completeLogin needs the authenticated user: pass { user } or call it after passport.authenticate',
    );
  }
  const success = otpSuccess(info);
  const id = userId(user);
  if (typeof id !== 'string' || id === '') {
    throw new TypeError('completeLogin: `userId(user)` must return a non-empty string');
  }

  // Read before login: the regenerated session starts empty.
  const before = sessionOf(req, 'completeLogin');
  const carried =
    before.pendingUserId === id && Array.isArray(before.pendingFactors)
      ? before.pendingFactors
      : [];

  await logIn(req, user);
  const session = sessionOf(req, 'completeLogin');
  const state: AuthState = {
    userId: id,
    tenantId: success.verification.tenantId,
    factors: [...carried, success.factor].map(copyFactor),
  };
  delete session.pendingUserId;
  delete session.pendingFactors;
  session.checkpoint = state;
  await save(session);
  return state;
}

function defaultUserId(user: Express.User): string {
  const id: unknown = (user as { id?: unknown }).id;
  if (typeof id === 'number' && Number.isFinite(id)) return String(id);
  if (typeof id !== 'string') {
    throw new TypeError('completeLogin: the user has no string `id`; pass { userId: (user) => … }');
  }
  return id;
}

function otpSuccess(info: unknown): OtpSuccessInfo {
  const candidate = info as Partial<OtpSuccessInfo> | null | undefined;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    typeof candidate.factor?.method !== 'string' ||
    typeof candidate.verification?.tenantId !== 'string'
  ) {
    throw new TypeError(
      "completeLogin needs the OtpStrategy's success info: pass { info } from the authenticate callback, or keep passport's authInfo on",
    );
  }
  return candidate as OtpSuccessInfo;
}

function logIn(req: Request, user: Express.User): Promise<void> {
  if (typeof req.logIn !== 'function') {
    return Promise.reject(
      new TypeError(
        'completeLogin requires passport: use passport.initialize() or passport.session()',
      ),
    );
  }
  return new Promise((resolve, reject) => {
    req.logIn(user, (err: unknown) => {
      if (err) reject(asError(err));
      else resolve();
    });
  });
}

function copyFactor(factor: AuthFactor): AuthFactor {
  return { ...factor, amr: [...factor.amr] };
}
