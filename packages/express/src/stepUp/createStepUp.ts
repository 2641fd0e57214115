import { CheckpointError, maskEmail, maskPhone } from '@checkpoint/core';
import { isCheckpointName } from '@checkpoint/policy';
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
import { createHost } from './createHost.js';
import { controlsApi, type StepUpControls } from './controls/controlsApi.js';
import type { PendingAction } from './grants.js';
import { type RequireCheckpointOptions, requireCheckpointWith } from './requireCheckpoint.js';
import { factorChecks } from './routes/factorChecks.js';
import { otpRoutes } from './routes/otpRoutes.js';
import { ssoRoutes } from './routes/ssoRoutes.js';
import { statusRoute } from './routes/statusRoute.js';
import { passkeyEnrolment, webauthnRoutes } from './routes/webauthnRoutes.js';
import { readState } from './session.js';
import type { StepUpOptions } from './StepUpOptions.js';
import { StepUpNeeded } from './StepUpNeeded.js';

/** What {@link createStepUp} returns (with the controls' calls of {@link StepUpControls}). */
export interface StepUp extends StepUpControls {
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
  const { checkpoint, destination, pagePath = '/step-up', apiPath = '/auth/step-up' } = options;
  const customCheckpoints = options.customCheckpoints ?? [];
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
  const host = createHost(options);
  const { grants, revocations, notify, factors } = host;
  const appName = host.appName;

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
    ...controlsApi(host),
  };
}
