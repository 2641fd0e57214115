import type { Checkpoint, Clock, RequestContext, Verification } from '@checkpoint/core';
import type { Request } from 'express';

/**
 * The `done` callback of a verify function, as in every Passport strategy: `done(err)` for a
 * broken thing, `done(null, false, info?)` to refuse, `done(null, user, info?)` to log in.
 *
 * @example
 * (verification, done) => done(null, users.byPhone(verification.to.phone?.e164) ?? false)
 */
export type OtpVerified = (
  err: unknown,
  user?: Express.User | false | null,
  info?: Record<string, unknown>,
) => void;

/**
 * Maps an approved verification to a user.
 *
 * @example
 * const verify: OtpVerifyFunction = (verification, done) => done(null, users.get(verification.subject) ?? false);
 */
export type OtpVerifyFunction = (
  verification: Verification,
  done: OtpVerified,
) => void | Promise<void>;

/**
 * Maps an approved verification to a user, with the request (`passReqToCallback: true`).
 *
 * @example
 * const verify: OtpVerifyFunctionWithRequest = (req, verification, done) => done(null, tenantUsers(req).get(verification.subject) ?? false);
 */
export type OtpVerifyFunctionWithRequest = (
  req: Request,
  verification: Verification,
  done: OtpVerified,
) => void | Promise<void>;

/**
 * Options shared by both forms of {@link OtpStrategyOptions}.
 *
 * @example
 * const base: OtpStrategyOptionsBase = { checkpoint, purpose: 'login', subject: pendingUserId };
 */
export interface OtpStrategyOptionsBase {
  /** The object `createCheckpoint()` returned. */
  checkpoint: Checkpoint;
  /** The verification's purpose must be this one; a code sent for another purpose is `not_found`. @default 'login' */
  purpose?: string;
  /** Body field holding the verification id. @default 'id' */
  idField?: string;
  /** Body field holding the code. @default 'code' */
  codeField?: string;
  /** The tenant the verification must belong to. @default not compared */
  tenantId?: (req: Request) => string;
  /**
   * The user the code must be bound to, e.g. the half-logged-in user of a second-factor login
   * (`pendingUserId`). When this option is set and returns `undefined`, the request fails
   * (`no_pending_login`) without a check. @default no subject binding
   */
  subject?: (req: Request) => string | undefined;
  /** Request facts for velocity limits and the audit trail. @default requestContext(req): `{ ip: req.ip, userAgent }` */
  context?: (req: Request) => RequestContext;
  /** Time source for the recorded factor's `at`. @default systemClock */
  clock?: Clock;
}

/**
 * Options of `new OtpStrategy(options, verify)`: the verify function gets `(verification, done)`.
 *
 * @example
 * new OtpStrategy({ checkpoint }, (verification, done) => done(null, false));
 */
export interface OtpStrategyOptions extends OtpStrategyOptionsBase {
  passReqToCallback?: false;
}

/**
 * Options of `new OtpStrategy(options, verify)`: the verify function gets `(req, verification, done)`.
 *
 * @example
 * new OtpStrategy({ checkpoint, passReqToCallback: true }, (req, verification, done) => done(null, false));
 */
export interface OtpStrategyOptionsWithRequest extends OtpStrategyOptionsBase {
  passReqToCallback: true;
}

/**
 * What `OtpStrategy.credentials(req)` read from the request; the strategy checks that both are
 * non-empty strings.
 *
 * @example
 * const credentials: OtpCredentials = { id: req.body?.id, code: req.body?.code };
 */
export interface OtpCredentials {
  id: unknown;
  code: unknown;
}
