import { CheckpointError, maskEmail, maskPhone } from '@checkpoint/core';
import type { SsoSubject } from '@checkpoint/oidc';
import {
  evaluate,
  isCheckpointName,
  resolveCheckpoint,
  type TenantPolicy,
} from '@checkpoint/policy';
import express, {
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
  type Router,
} from 'express';
import { errorHandler } from '../errors/errorHandler.js';
import { factorRoutes } from '../factors/factorRoutes.js';
import { challenge } from './challenge.js';
import { currentSession, endSession } from './currentSession.js';
import { Grants, type PendingAction } from './grants.js';
import { offeredMethods } from './methods.js';
import { recordFactor } from './recordFactor.js';
import { type RequireCheckpointOptions, requireCheckpointWith } from './requireCheckpoint.js';
import { Revocations } from './revocations.js';
import { factorChecks } from './routes/factorChecks.js';
import { otpRoutes } from './routes/otpRoutes.js';
import { ssoRoutes } from './routes/ssoRoutes.js';
import { statusRoute } from './routes/statusRoute.js';
import { passkeyEnrolment, webauthnRoutes } from './routes/webauthnRoutes.js';
import { readState, type StepUpSession } from './session.js';
import type { StepUpHost } from './StepUpHost.js';
import type { StepUpOptions } from './StepUpOptions.js';
import { StepUpNeeded } from './StepUpNeeded.js';

/** What {@link createStepUp} returns. */
export interface StepUp {
  /**
   * Middleware: lets the request through when the session meets the checkpoint (as the request's
   * tenant defines it), else answers a step-up challenge. With `bind`, each step-up approves
   * exactly one request with exactly the payload its message named.
   */
  requireCheckpoint: <Fields = unknown>(
    name: string,
    options?: RequireCheckpointOptions<Fields>,
  ) => RequestHandler;
  /** The routes a step-up page calls; mount it at `apiPath`. */
  router: Router;
  /**
   * Middleware for every request of a signed-in app: a signed-out or revoked session reads as
   * signed out (whatever copy of it a slow request saved), and the timeouts of the session's
   * assurance level end it. Mount it after express-session (and after `passport.session()`).
   */
  sessionGuard: () => RequestHandler;
  /**
   * Signs this session out on the server: recorded in the Store, so no in-flight request can
   * bring the session back by saving its copy. Clears the session and gives it a new id.
   */
  signOut: (req: Request) => Promise<void>;
  /**
   * Ends every session of a user signed in until now — call it on a password reset or change.
   * With `except: req`, the session that asked stays signed in.
   */
  revokeUser: (input: { tenantId: string; userId: string; except?: Request }) => Promise<void>;
  /**
   * The action waiting for a step-up of checkpoint `name` in this session (its `summary` is what
   * `describe` said), for an app that renders its own step-up page; undefined when none.
   */
  pendingAction: (req: Request, name: string) => Promise<PendingAction | undefined>;
  /**
   * After a route guarded by `requireCheckpoint('contact_change')` changed the user's phone or
   * email: notifies the previous destination (with the new one masked) through `notify`.
   */
  contactChanged: (req: Request, change: { previous: string; current: string }) => Promise<void>;
}

/**
 * Step-up for Express: `requireCheckpoint(name)` guards a route with a checkpoint of
 * @checkpoint/policy (login, billing_change, admin_role_grant, …), `router` serves the step-up a
 * page calls, `sessionGuard` enforces timeouts and server-side sign-outs, and the session's
 * AuthState lives in `req.session.checkpoint`. Grants, pending actions and sign-outs live in the
 * Checkpoint's Store (`checkpoint.tickets`), shared by every process. Needs express-session (or
 * a compatible session) mounted first.
 *
 * @example
 * const stepUp = createStepUp({ checkpoint, destination: (req, userId) => users.get(userId)?.phone });
 * app.use('/auth/step-up', stepUp.router);
 * app.post('/billing/card', stepUp.requireCheckpoint('billing_change', { bind: (req) => ({ last4: req.body.last4 }), describe: (f) => `changing the card to …${f.last4}` }), changeCard);
 * @see RFC 9470 (step-up challenge); NIST SP 800-63B rev 4 §2, §5
 */
export function createStepUp(options: StepUpOptions): StepUp {
  const {
    checkpoint,
    destination,
    tenantPolicy = () => ({ id: 'default' }),
    tenantId = () => undefined,
    pagePath = '/step-up',
    apiPath = '/auth/step-up',
    now = Date.now,
    notify,
    appName = 'your account',
    webauthn,
    userName = (_req: Request, userId: string) => userId,
    sso,
    ssoUserId = (subject: SsoSubject) => subject.key,
    factors,
    customCheckpoints = [],
  } = options;
  if (
    typeof checkpoint !== 'object' ||
    checkpoint === null ||
    typeof checkpoint.send !== 'function' ||
    typeof checkpoint.tickets !== 'object'
  ) {
    throw new TypeError(
      'createStepUp requires { checkpoint }: the object createCheckpoint() returned',
    );
  }
  if (typeof destination !== 'function') {
    throw new TypeError(
      'createStepUp requires { destination(req, userId) }: where step-up codes for a user go',
    );
  }
  if ('methodForChannel' in options) {
    throw new TypeError(
      'createStepUp no longer takes methodForChannel: a code counts as its channel’s medium (set `medium` on the channel)',
    );
  }
  const paths = { page: pagePath, api: apiPath };
  const grants = new Grants(checkpoint.tickets);
  const revocations = new Revocations(checkpoint.tickets, now);
  const capabilities = {
    media: new Set(checkpoint.channels.map((channel) => channel.medium)),
    webauthn: webauthn !== undefined,
    sso: sso !== undefined,
    factors: factors !== undefined,
  };

  const signedIn = (req: Request) => {
    const state = readState(req);
    if (state?.sessionKey === undefined) {
      throw new CheckpointError('not_found', 'no signed-in user to step up');
    }
    return state as StepUpSession & { sessionKey: string };
  };

  const resolve = (name: string, tenant: TenantPolicy) => {
    try {
      return resolveCheckpoint(name, tenant);
    } catch (error) {
      throw new CheckpointError('not_found', `no checkpoint named '${name}' for this tenant`, {
        cause: error,
      });
    }
  };

  const host: StepUpHost = {
    checkpoint,
    destination,
    tenantPolicy,
    tenantId,
    now,
    notify,
    appName,
    webauthn,
    userName,
    sso,
    ssoUserId,
    factors,
    grants,
    revocations,
    signedIn,
    resolve,
    offered: (methods) => offeredMethods(methods, capabilities),
    async target(req) {
      const state = signedIn(req);
      const name = String(req.params.checkpoint);
      const tenant = await tenantPolicy(req);
      return { state, name, tenant, resolved: resolve(name, tenant) };
    },
    async begin(state, name, id) {
      const action = await grants.pending(state.sessionKey, name);
      const attempt = {
        sessionKey: state.sessionKey,
        userId: state.userId,
        checkpoint: name,
        ...(action === undefined ? {} : { action }),
      };
      return { id: await grants.begin(attempt, id), attempt };
    },
    async stepUpWith(req, name, proved, tenant, attempt) {
      const at = now();
      const updated = await recordFactor(req, proved, { tenant, now: at });
      const sessionKey = updated.sessionKey as string;
      if (!evaluate(resolve(name, tenant), updated, tenant, at).satisfied) {
        return { satisfied: false };
      }
      const named = attempt?.action;
      if (named !== undefined) {
        await grants.grant(sessionKey, name, named.hash, resolve(name, tenant).maxAgeSeconds);
      }
      // Whatever waits now must be what the step-up named; anything else gets nothing.
      const waiting = await grants.pending(sessionKey, name);
      if (waiting !== undefined && waiting.hash !== named?.hash) {
        return {
          satisfied: false,
          reason: attempt === undefined ? 'action_unconfirmed' : 'action_changed',
        };
      }
      return { satisfied: true };
    },
    async announce(req, userId, what, text) {
      const to = notify === undefined ? undefined : await destination(req, userId);
      if (notify !== undefined && to !== undefined) {
        await notify({
          userId,
          to,
          changedTo: what,
          text: `${text} on ${appName}. If this was not you, contact support now.`,
        });
      }
    },
  };

  const router = express.Router();
  router.use(express.json({ limit: '4kb' }));
  // Stepping up is for a signed-in, live session: anyone else is told to sign in.
  router.use((req, res, next) => {
    currentSession(req, host)
      .then((current) => {
        if (current.state !== undefined) return next();
        res
          .status(401)
          .json(
            current.why === 'login_required'
              ? { error: 'login_required', message: 'sign in first' }
              : { error: 'session_expired', message: 'the session timed out; sign in again' },
          );
      })
      .catch(next);
  });
  if (factors !== undefined) {
    factorChecks(router, host, factors);
    factorRoutes(router, host, factors);
  }
  statusRoute(router, host);
  otpRoutes(router, host);
  webauthnRoutes(router, host);
  passkeyEnrolment(router, host);
  ssoRoutes(router, host);
  router.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (!(error instanceof StepUpNeeded)) return next(error);
    challenge(req, res, error.details, paths);
  });
  router.use(errorHandler());

  function requireCheckpoint<Fields = unknown>(
    name: string,
    guardOptions?: RequireCheckpointOptions<Fields>,
  ): RequestHandler {
    // A name no tenant can define fails here, at start-up, not on the first request.
    if (!isCheckpointName(name) && !customCheckpoints.includes(name)) {
      throw new TypeError(
        `requireCheckpoint('${name}'): no built-in checkpoint has this name; if your tenants define it in their stepUp settings, list it in createStepUp({ customCheckpoints: ['${name}'] })`,
      );
    }
    return requireCheckpointWith(host, paths, name, guardOptions);
  }

  function sessionGuard(): RequestHandler {
    return (req, res, next) => {
      currentSession(req, host)
        .then((current) => {
          if (current.state === undefined && current.why === 'session_expired') {
            res
              .status(401)
              .json({ error: 'session_expired', message: 'the session timed out; sign in again' });
            return;
          }
          next();
        })
        .catch(next);
    };
  }

  async function signOut(req: Request): Promise<void> {
    const state = readState(req);
    if (state?.sessionKey !== undefined) await revocations.signOut(state.sessionKey);
    await endSession(req);
  }

  async function revokeUser(input: {
    tenantId: string;
    userId: string;
    except?: Request;
  }): Promise<void> {
    const keep = input.except === undefined ? undefined : readState(input.except)?.sessionKey;
    await revocations.revokeUser(input.tenantId, input.userId, keep);
  }

  async function contactChanged(
    req: Request,
    { previous, current }: { previous: string; current: string },
  ): Promise<void> {
    const state = readState(req);
    if (state === undefined) throw new CheckpointError('not_found', 'no signed-in user');
    if (notify === undefined) {
      throw new TypeError(
        'contactChanged needs createStepUp({ notify }) to reach the previous destination',
      );
    }
    const changedTo = current.includes('@') ? maskEmail(current) : maskPhone(current, '');
    await notify({
      userId: state.userId,
      to: previous,
      changedTo,
      text: `The ${current.includes('@') ? 'email address' : 'phone number'} on ${appName} was changed to ${changedTo}. If this was not you, contact support now.`,
    });
  }

  async function pendingAction(req: Request, name: string): Promise<PendingAction | undefined> {
    const sessionKey = readState(req)?.sessionKey;
    return sessionKey === undefined ? undefined : grants.pending(sessionKey, name);
  }

  return {
    requireCheckpoint,
    router,
    sessionGuard,
    signOut,
    revokeUser,
    pendingAction,
    contactChanged,
  };
}
