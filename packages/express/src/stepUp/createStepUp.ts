import { CheckpointError, maskEmail, maskPhone } from '@checkpoint/core';
import {
  assuranceOf,
  evaluate,
  type Factor,
  factor,
  type Method,
  resolveCheckpoint,
  sessionExpired,
  type TenantPolicy,
} from '@checkpoint/policy';
import { type Sso, type SsoSubject, stepUpAtIdp } from '@checkpoint/oidc';
import type { WebAuthn } from '@checkpoint/webauthn';
import express, {
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
  type Router,
} from 'express';
import { clientContext } from '../context/clientContext.js';
import { errorHandler } from '../errors/errorHandler.js';
import { handler } from '../http/handler.js';
import { bindingHash } from './bindingHash.js';
import { challenge, detailsOf } from './challenge.js';
import { recordFactor } from './recordFactor.js';
import { safeReturnTo } from './safeReturnTo.js';
import {
  readState,
  regenerateSession,
  saveSession,
  type StepUpSession,
  writeState,
} from './session.js';
import type { StepUpOptions } from './StepUpOptions.js';
import { StepUpNeeded } from './StepUpNeeded.js';
import { factorChecks } from './factorChecks.js';
import { factorRoutes } from '../factors/factorRoutes.js';

/** Options of `requireCheckpoint`. */
export interface RequireCheckpointOptions {
  /**
   * Binds the step-up to this exact action: the fields returned (amount, payee, role, …) are
   * hashed with the user, session and checkpoint into a single-use grant. A grant for one payload
   * never approves another, and each grant approves one request.
   */
  bind?: (req: Request) => unknown;
  /** What the user is approving, shown in the code's message and on the step-up page. */
  describe?: (fields: unknown, req: Request) => string;
}

/** What {@link createStepUp} returns. */
export interface StepUp {
  /** Middleware: lets the request through when the session meets the checkpoint, else answers a step-up challenge. */
  requireCheckpoint: (name: string, options?: RequireCheckpointOptions) => RequestHandler;
  /** The routes a step-up page calls; mount it at `apiPath`. */
  router: Router;
  /** Middleware enforcing the session timeouts of the session's assurance level on every request it guards. */
  sessionGuard: () => RequestHandler;
  /**
   * After a route guarded by `requireCheckpoint('contact_change')` changed the user's phone or
   * email: notifies the previous destination (with the new one masked) through `notify`.
   */
  contactChanged: (req: Request, change: { previous: string; current: string }) => Promise<void>;
}

const CHANNEL_METHODS: Record<string, Method> = {
  sms: 'otp-sms',
  voice: 'otp-voice',
  whatsapp: 'otp-whatsapp',
  email: 'otp-email',
};

/**
 * Step-up for Express: `requireCheckpoint(name)` guards a route with a checkpoint of
 * @checkpoint/policy (login, billing_change, admin_role_grant, …), `router` serves the OTP
 * step-up a page calls, and the session's AuthState lives in `req.session.checkpoint`.
 * Needs express-session (or a compatible session) mounted first.
 *
 * @example
 * const stepUp = createStepUp({ checkpoint, destination: (req, userId) => users.get(userId)?.phone });
 * app.use('/auth/step-up', stepUp.router);
 * app.post('/billing/card', stepUp.requireCheckpoint('billing_change', { bind: (req) => req.body, describe: (f) => `changing the card to …${f.last4}` }), changeCard);
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
    methodForChannel = (channel: string) => CHANNEL_METHODS[channel] ?? 'otp-sms',
    now = Date.now,
    notify,
    appName = 'your account',
    webauthn,
    userName = (_req: Request, userId: string) => userId,
    sso,
    ssoUserId = (subject: SsoSubject) => subject.key,
    factors,
  } = options;
  if (
    typeof checkpoint !== 'object' ||
    checkpoint === null ||
    typeof checkpoint.send !== 'function'
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
  const paths = { page: pagePath, api: apiPath };

  /** Ends a session past its inactivity or absolute limit; otherwise records the activity. */
  async function enforceTimeouts(
    req: Request,
    state: StepUpSession,
    tenant: TenantPolicy,
    at: number,
  ): Promise<boolean> {
    const aal = Math.max(1, assuranceOf(state.factors, tenant, { now: at }).aal) as 1 | 2 | 3;
    const expiry = sessionExpired(
      { aal, startedAt: state.startedAt, lastActivityAt: state.lastActivityAt },
      at,
    );
    if (expiry.expired) {
      writeState(req, undefined);
      await regenerateSession(req, false);
      return false;
    }
    writeState(req, { ...state, lastActivityAt: at });
    return true;
  }

  /**
   * Records a factor proved for checkpoint `name` (regenerating the session id when assurance
   * rises) and, when that satisfies a pending bound action, turns it into a single-use grant.
   * Saves the session; resolves whether the checkpoint is now satisfied.
   */
  async function stepUpWith(
    req: Request,
    name: string,
    proved: Factor,
    tenant: TenantPolicy,
    at: number,
  ): Promise<boolean> {
    const updated = await recordFactor(req, proved, { tenant, now: at });
    const pending = updated.pending?.[name];
    const satisfied = evaluate(name, updated, tenant, at).satisfied;
    if (pending !== undefined && satisfied) {
      // The grant lives in this session (which recordFactor may have given a new id): it is bound
      // to the session by where it is kept, and to user, checkpoint and payload by its hash.
      const { [name]: _done, ...stillPending } = updated.pending ?? {};
      writeState(req, {
        ...updated,
        pending: stillPending,
        grants: { ...updated.grants, [name]: { hash: pending.hash, at } },
      });
    }
    await saveSession(req);
    return satisfied;
  }

  function requireCheckpoint(
    name: string,
    { bind, describe }: RequireCheckpointOptions = {},
  ): RequestHandler {
    // Unknown names fail here, at start-up, not on the first request.
    resolveCheckpoint(name, { id: 'default' });
    return (req, res, next) => {
      void (async () => {
        const at = now();
        const state = readState(req);
        if (state === undefined) {
          res.status(401).json({ error: 'login_required', message: 'sign in first' });
          return;
        }
        const tenant = await tenantPolicy(req);
        if (!(await enforceTimeouts(req, state, tenant, at))) {
          res
            .status(401)
            .json({ error: 'session_expired', message: 'the session timed out; sign in again' });
          return;
        }
        const current = readState(req) as StepUpSession;
        const result = evaluate(name, current, tenant, at);
        if (bind === undefined) {
          if (result.satisfied) return next();
          await saveSession(req);
          challenge(req, res, detailsOf(result), paths);
          return;
        }
        const fields = bind(req);
        const hash = bindingHash({ userId: current.userId, checkpoint: name, fields });
        const grant = current.grants?.[name];
        const resolved = resolveCheckpoint(name, tenant);
        if (
          result.satisfied &&
          grant !== undefined &&
          grant.hash === hash &&
          at - grant.at <= resolved.maxAgeSeconds * 1_000
        ) {
          // Single use: the grant is spent by the action it was made for.
          const { [name]: _spent, ...rest } = current.grants ?? {};
          writeState(req, { ...current, grants: rest });
          await saveSession(req);
          return next();
        }
        const summary = describe?.(fields, req);
        writeState(req, {
          ...current,
          pending: {
            ...current.pending,
            [name]: { hash, ...(summary === undefined ? {} : { summary }) },
          },
        });
        await saveSession(req);
        const details = result.satisfied
          ? {
              checkpoint: name,
              aal: resolved.aal,
              methods: resolved.methods,
              maxAge: resolved.maxAgeSeconds,
              phishingResistant: resolved.phishingResistant === true,
              reason: 'action_unconfirmed',
            }
          : detailsOf(result);
        challenge(
          req,
          res,
          { ...details, binding: summary === undefined ? {} : { summary } },
          paths,
        );
      })().catch(next);
    };
  }

  const router = express.Router();
  router.use(express.json({ limit: '4kb' }));
  // Stepping up is for a signed-in user: anyone else is told to sign in, as requireCheckpoint does.
  router.use((req, res, next) => {
    if (readState(req) !== undefined) return next();
    res.status(401).json({ error: 'login_required', message: 'sign in first' });
  });

  const signedIn = (req: Request): StepUpSession => {
    const state = readState(req);
    if (state === undefined) throw new CheckpointError('not_found', 'no signed-in user to step up');
    return state;
  };

  /** The signed-in user, the checkpoint the path names (404 when unknown) and the tenant's policy. */
  const target = async (req: Request) => {
    const state = signedIn(req);
    const name = String(req.params.checkpoint);
    const tenant = await tenantPolicy(req);
    return { state, name, tenant, resolved: resolveKnown(name, tenant) };
  };

  if (factors !== undefined) {
    const announce = async (req: Request, userId: string, what: string, text: string) => {
      const to = notify === undefined ? undefined : await destination(req, userId);
      if (notify !== undefined && to !== undefined) {
        await notify({
          userId,
          to,
          changedTo: what,
          text: `${text} on ${appName}. If this was not you, contact support now.`,
        });
      }
    };
    const host = { factors, target, signedIn, tenantPolicy, now, stepUpWith, announce };
    factorChecks(router, host);
    factorRoutes(router, host);
  }

  /** What a checkpoint needs for this user now. */
  router.get(
    '/:checkpoint',
    handler(async (req, res) => {
      const { state, name, tenant, resolved } = await target(req);
      const result = evaluate(resolved, state, tenant, now());
      const summary = state.pending?.[name]?.summary;
      res.json({
        checkpoint: name,
        satisfied: result.satisfied && state.pending?.[name] === undefined,
        aal: result.satisfied ? result.aal : result.currentAal,
        requiredAal: resolved.aal,
        methods: result.satisfied ? resolved.methods : result.methods,
        maxAge: resolved.maxAgeSeconds,
        ...(summary === undefined ? {} : { approving: summary }),
      });
    }),
  );

  /** Sends a step-up code to the signed-in user. */
  router.post(
    '/:checkpoint/otp/start',
    handler(async (req, res) => {
      const { state, name } = await target(req);
      const to = await destination(req, state.userId);
      if (to === undefined)
        throw new CheckpointError(
          'channel_unavailable',
          'this account has no destination for step-up codes',
        );
      const body = asBody(req.body);
      const channel = typeof body.channel === 'string' ? body.channel : undefined;
      const approving = state.pending?.[name]?.summary;
      const tenant = tenantId(req);
      const sent = await checkpoint.send({
        to,
        purpose: name,
        subject: state.userId,
        context: clientContext(req),
        ...(tenant === undefined ? {} : { tenantId: tenant }),
        ...(channel === undefined ? {} : { channels: [channel] }),
        ...(approving === undefined ? {} : { approving }),
      });
      res.status(202).json({ id: sent.id, channel: sent.channel, expiresAt: sent.expiresAt });
    }),
  );

  /** Checks a step-up code; on approval records the factor (regenerating the session id) and grants a bound action. */
  router.post(
    '/:checkpoint/otp/verify',
    handler(async (req, res) => {
      const { state, name, tenant } = await target(req);
      const body = asBody(req.body);
      const tenantCore = tenantId(req);
      const result = await checkpoint.check({
        id: body.id as string,
        code: body.code as string,
        purpose: name,
        subject: state.userId,
        context: clientContext(req),
        ...(tenantCore === undefined ? {} : { tenantId: tenantCore }),
      });
      if (result.status !== 'approved') {
        res.json({ status: result.status, remainingAttempts: result.remainingAttempts });
        return;
      }
      const verification = await checkpoint.get(body.id as string);
      const at = now();
      const method = methodForChannel(result.channel);
      const proved = factor(method, {
        at,
        codeLength: verification.codeLength,
        source: result.channel,
      });
      const satisfied = await stepUpWith(req, name, proved, tenant, at);
      res.json({ status: 'approved', satisfied, returnTo: safeReturnTo(body.returnTo) });
    }),
  );

  /** Passkey step-up: the options for the signed-in user's passkeys. */
  router.post(
    '/:checkpoint/webauthn/options',
    handler(async (req, res) => {
      const { state } = await target(req);
      const passkeys = passkeysOf(webauthn);
      res.json(
        await passkeys.authenticationOptions({ userId: state.userId, tenantId: state.tenantId }),
      );
    }),
  );

  /**
   * Passkey step-up: verifies the assertion for the signed-in user (another user's credential is
   * refused), records the webauthn factor and grants a bound action.
   */
  router.post(
    '/:checkpoint/webauthn/verify',
    handler(async (req, res) => {
      const { state, name, tenant } = await target(req);
      const body = asBody(req.body);
      const result = await passkeysOf(webauthn).verifyAuthentication({
        userId: state.userId,
        tenantId: state.tenantId,
        response: body.response,
      });
      const at = now();
      const satisfied = await stepUpWith(req, name, { ...result.factor, at }, tenant, at);
      res.json({
        status: 'approved',
        satisfied,
        aal: result.factor.aal,
        returnTo: safeReturnTo(body.returnTo),
      });
    }),
  );

  /** Passkey enrolment needs a fresh step-up: adding an authenticator is a change of credentials. */
  const enrolment = async (req: Request): Promise<StepUpSession> => {
    const state = signedIn(req);
    const result = evaluate('contact_change', state, await tenantPolicy(req), now());
    if (!result.satisfied) {
      throw new StepUpNeeded(detailsOf(result));
    }
    return state;
  };

  router.post(
    '/passkeys/register/options',
    handler(async (req, res) => {
      const state = await enrolment(req);
      res.json(
        await passkeysOf(webauthn).registrationOptions({
          userId: state.userId,
          tenantId: state.tenantId,
          userName: await userName(req, state.userId),
        }),
      );
    }),
  );

  router.post(
    '/passkeys/register/verify',
    handler(async (req, res) => {
      const state = await enrolment(req);
      const credential = await passkeysOf(webauthn).verifyRegistration({
        userId: state.userId,
        tenantId: state.tenantId,
        response: asBody(req.body).response,
      });
      // NIST SP 800-63B §4.1: a new authenticator is announced on a channel the user already has.
      const to = notify === undefined ? undefined : await destination(req, state.userId);
      if (notify !== undefined && to !== undefined) {
        await notify({
          userId: state.userId,
          to,
          changedTo: 'a new passkey',
          text: `A passkey was added to ${appName}. If this was not you, contact support now.`,
        });
      }
      res.status(201).json({
        id: credential.id,
        deviceType: credential.deviceType,
        backedUp: credential.backedUp,
      });
    }),
  );

  /**
   * SSO step-up: sends the browser to the IdP the session signed in with, demanding the acr
   * values the tenant trusts for this checkpoint and its max age (RFC 9470 / OIDC `acr_values`,
   * `max_age`, an essential acr claim where the IdP takes one). JSON clients get `{ url }`.
   */
  router.get(
    '/:checkpoint/sso',
    handler(async (req, res) => {
      const { state, name, tenant, resolved: checkpointDef } = await target(req);
      const idps = ssoOf(sso);
      const issuer = [...state.factors].reverse().find((f) => f.method === 'sso')?.source;
      if (issuer === undefined) {
        throw new CheckpointError('not_found', 'this session did not sign in through an IdP');
      }
      const evaluation = evaluate(checkpointDef, state, tenant, now());
      const demand = stepUpAtIdp({ evaluation, tenant, issuer, checkpoint: checkpointDef });
      if (demand === undefined) {
        throw new CheckpointError(
          'not_found',
          evaluation.satisfied
            ? `${name} is already satisfied`
            : `the IdP cannot step ${name} up for this tenant: use another method`,
        );
      }
      const returnTo = typeof req.query.returnTo === 'string' ? req.query.returnTo : undefined;
      const started = await idps.start({
        tenantId: state.tenantId,
        stepUp: demand,
        returnTo: safeReturnTo(returnTo),
      });
      writeState(req, { ...state, sso: { transaction: started.transaction, checkpoint: name } });
      await saveSession(req);
      if (req.accepts(['json', 'html']) === 'html') res.redirect(303, started.url.href);
      else res.json({ url: started.url.href });
    }),
  );

  /** Where the IdP sends the browser back: checks the answer, records the sso factor, returns. */
  router.get(
    '/sso/callback',
    handler(async (req, res) => {
      const state = signedIn(req);
      const { sso: pending, ...withoutTransaction } = state;
      // The transaction is single-use whatever happens next.
      writeState(req, withoutTransaction);
      await saveSession(req);
      const result = await ssoOf(sso).callback({
        tenantId: state.tenantId,
        currentUrl: req.originalUrl,
        transaction: pending?.transaction,
      });
      const userId = await ssoUserId(result.subject, req);
      if (userId !== state.userId) {
        throw new CheckpointError(
          'authentication_failed',
          'the IdP signed in another user than this session’s',
          { reasons: ['oidc:subject_mismatch'] },
        );
      }
      const name = pending?.checkpoint ?? 'login';
      const tenant = await tenantPolicy(req);
      const at = now();
      const satisfied = await stepUpWith(req, name, result.factor, tenant, at);
      const returnTo = safeReturnTo(result.returnTo);
      if (req.accepts(['json', 'html']) === 'html') res.redirect(303, returnTo);
      else res.json({ status: 'approved', satisfied, returnTo });
    }),
  );

  router.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (!(error instanceof StepUpNeeded)) return next(error);
    challenge(req, res, error.details, paths);
  });
  router.use(errorHandler());

  function sessionGuard(): RequestHandler {
    return (req, res, next) => {
      void (async () => {
        const state = readState(req);
        if (state === undefined) return next();
        if (!(await enforceTimeouts(req, state, await tenantPolicy(req), now()))) {
          res
            .status(401)
            .json({ error: 'session_expired', message: 'the session timed out; sign in again' });
          return;
        }
        next();
      })().catch(next);
    };
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

  return { requireCheckpoint, router, sessionGuard, contactChanged };
}

function ssoOf(sso: Sso | undefined): Sso {
  if (sso === undefined) throw new CheckpointError('not_found', 'SSO is not configured here');
  return sso;
}

function passkeysOf(webauthn: WebAuthn | undefined): WebAuthn {
  if (webauthn === undefined) {
    throw new CheckpointError('not_found', 'passkeys are not configured here');
  }
  return webauthn;
}

function resolveKnown(name: string, tenant: TenantPolicy) {
  try {
    return resolveCheckpoint(name, tenant);
  } catch (error) {
    throw new CheckpointError('not_found', `no checkpoint named '${name}'`, { cause: error });
  }
}

function asBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return {};
  return body as Record<string, unknown>;
}
