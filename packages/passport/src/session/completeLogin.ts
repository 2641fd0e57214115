import { randomBytes } from 'node:crypto';
import {
  type AuthState,
  type Checkpoint,
  type Evaluation,
  evaluate,
  type Factor,
  type TenantPolicy,
} from '@checkpoint/policy';
import type { Request } from 'express';
import type { OtpSuccessInfo } from '../strategy/outcomes.js';
import { asError, regenerate, save, sessionOf } from './sessionOf.js';

/**
 * Options of {@link completeLogin}.
 *
 * @example
 * const options: CompleteLoginOptions = { user, info, userId: (u) => (u as Account).accountId };
 */
export interface CompleteLoginOptions {
  /** The authenticated user. @default req.user */
  user?: Express.User | false | null | undefined;
  /** The success info of OtpStrategy (`factor`, `verification`), WebAuthnStrategy (`factor`, `credential`) or TotpStrategy / RecoveryCodeStrategy (`factor`, `tenantId`). @default req.authInfo */
  info?: unknown;
  /**
   * Factors proved outside OtpStrategy: a password (`passwordFactor()`), an IdP's assertion
   * (`factor('sso', …)`), a passkey. Added after the pending ones and the OTP's.
   */
  factors?: readonly Factor[];
  /** The id of a user object. @default (user) => user.id */
  userId?: (user: Express.User) => string;
  /** The tenant signed in to. @default the OTP's tenant, else the pending login's, else 'default' */
  tenantId?: string;
  /** The tenant's step-up policy (trusted IdPs, overrides of `login`). @default { id: tenantId } */
  tenant?: TenantPolicy;
  /**
   * What a login must reach before the app sees an authenticated user. Lower it only knowingly
   * (e.g. `{ ...CHECKPOINTS.login, aal: 1 }` for an SMS-only login).
   * @default 'login' (@checkpoint/policy: AAL2, factors within 24 h)
   */
  checkpoint?: string | Checkpoint;
  /** Epoch milliseconds. @default Date.now() */
  now?: number;
}

/**
 * What {@link completeLogin} did: logged the user in, or kept the login pending because the
 * factors proved so far do not meet the login checkpoint (`needed` says what would).
 *
 * @example
 * const result = await completeLogin(req, { user, info });
 * if (!result.authenticated) return res.status(401).json({ error: 'second_factor_required', methods: result.needed.methods });
 */
export type LoginResult =
  | { authenticated: true; state: AuthState }
  | {
      authenticated: false;
      /** The pending login: user, tenant and the factors proved so far. */
      state: AuthState;
      needed: Extract<Evaluation, { satisfied: false }>;
    };

/**
 * Finishes a login — by OTP, password + OTP, SSO, a passkey or any other strategy — only when
 * the factors proved so far meet the `login` checkpoint of @checkpoint/policy (AAL2 by default).
 * A passwordless SMS code or a password-only IdP reaches AAL1: the user is not logged in, the
 * factors wait in the session (`pendingUserId`, `pendingFactors`) for the next one, and the
 * result says which methods would complete the login. Other stacks let SSO and passwordless
 * sign-ins skip the second factor; this one does not.
 *
 * When the login completes: `req.login(user)` — which since passport 0.6 regenerates the session,
 * so the session id changes — then `req.session.checkpoint` = `{ userId, tenantId, factors }`. The
 * factors are the pending ones when they belong to this same user (a password proved for user A
 * never counts for user B), then the OTP's (from `info`), then `options.factors`. When it does
 * not, the session id changes too (a partial authentication) and nobody is logged in.
 *
 * @example
 * passport.authenticate('checkpoint-otp', (err, user, info, status) => {
 *   if (err) return next(err);
 *   if (!user) return res.status(status ?? 401).json(info);
 *   completeLogin(req, { user, info }).then((result) =>
 *     result.authenticated
 *       ? res.json(result.state)
 *       : res.status(401).json({ error: 'second_factor_required', methods: result.needed.methods }), next);
 * })(req, res, next);
 * @see https://nvd.nist.gov/vuln/detail/CVE-2022-25896 (fixed in passport 0.6 by regenerating the session on login)
 * @see OWASP ASVS 5 V6.3.3, V7.2.4; NIST SP 800-63B rev 4 §2.2
 */
export async function completeLogin(
  req: Request,
  {
    user = req.user,
    info = req.authInfo,
    factors = [],
    userId = defaultUserId,
    tenantId,
    tenant,
    checkpoint = 'login',
    now = Date.now(),
  }: CompleteLoginOptions = {},
): Promise<LoginResult> {
  if (typeof user !== 'object' || user === null) {
    throw new TypeError(
      'completeLogin needs the authenticated user: pass { user } or call it after passport.authenticate',
    );
  }
  const list: unknown = factors;
  if (!Array.isArray(list)) {
    throw new TypeError('completeLogin: `factors` must be an array of @checkpoint/policy factors');
  }
  const success = otpSuccess(info, factors.length === 0);
  const id = userId(user);
  if (typeof id !== 'string' || id === '') {
    throw new TypeError('completeLogin: `userId(user)` must return a non-empty string');
  }

  // Read before login: the regenerated session starts empty.
  const before = sessionOf(req, 'completeLogin');
  const samePending = before.pendingUserId === id;
  const carried = samePending && Array.isArray(before.pendingFactors) ? before.pendingFactors : [];
  const tenantOf =
    tenantId ??
    tenant?.id ??
    success?.tenantId ??
    (samePending ? before.pendingTenantId : undefined) ??
    'default';
  const proved = [...carried, ...(success === undefined ? [] : [success.factor]), ...factors];
  const state: AuthState = { userId: id, tenantId: tenantOf, factors: proved.map(copyFactor) };
  const result = evaluate(checkpoint, state, tenant ?? { id: tenantOf }, now);

  if (!result.satisfied) {
    const session = await regenerate(req, 'completeLogin');
    session.pendingUserId = id;
    session.pendingTenantId = tenantOf;
    session.pendingFactors = state.factors.map(copyFactor);
    await save(session);
    return { authenticated: false, state, needed: result };
  }

  await logIn(req, user);
  const session = sessionOf(req, 'completeLogin');
  delete session.pendingUserId;
  delete session.pendingTenantId;
  delete session.pendingFactors;
  // A key of this signed-in session's own, which @checkpoint/express records sign-outs and
  // step-up grants against (a stale copy of the session cannot undo a sign-out kept there).
  session.checkpoint = {
    ...state,
    sessionKey: randomBytes(16).toString('base64url'),
    signedInAt: now,
  } as AuthState;
  await save(session);
  return { authenticated: true, state };
}

function defaultUserId(user: Express.User): string {
  const id: unknown = (user as { id?: unknown }).id;
  if (typeof id === 'number' && Number.isFinite(id)) return String(id);
  if (typeof id !== 'string') {
    throw new TypeError('completeLogin: the user has no string `id`; pass { userId: (user) => … }');
  }
  return id;
}

/** The factor (and tenant) a strategy's success info carries: OtpStrategy's or WebAuthnStrategy's. */
interface StrategySuccess {
  factor: Factor;
  tenantId: string | undefined;
}

function otpSuccess(info: unknown, required: boolean): StrategySuccess | undefined {
  const candidate = info as
    | (Partial<OtpSuccessInfo> & { tenantId?: unknown; credential?: unknown })
    | null
    | undefined;
  if (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.factor?.method === 'string' &&
    (typeof candidate.verification?.tenantId === 'string' ||
      (typeof candidate.credential === 'object' && candidate.credential !== null) ||
      // TotpStrategy / RecoveryCodeStrategy: the factor and the tenant it was checked under.
      (typeof candidate.tenantId === 'string' &&
        (candidate.factor.method === 'totp' || candidate.factor.method === 'recovery-code')))
  ) {
    const tenantId =
      candidate.verification?.tenantId ??
      (typeof candidate.tenantId === 'string' ? candidate.tenantId : undefined);
    return { factor: candidate.factor, tenantId };
  }
  if (!required) return undefined;
  throw new TypeError(
    "completeLogin needs a factor: the OtpStrategy's (or WebAuthnStrategy's) success info ({ info } from the authenticate callback, or passport's authInfo), or { factors } for other logins",
  );
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

function copyFactor(factor: Factor): Factor {
  return { ...factor, amr: [...factor.amr] };
}
