import {
  type Checkpoint,
  type CheckInput,
  type CheckResult,
  type Clock,
  isCheckpointError,
  type RequestContext,
  systemClock,
  type Verification,
} from '@checkpoint/core';
import type { Request } from 'express';
import { Strategy } from 'passport-strategy';
import type { AuthFactor } from '../authState/AuthState.js';
import { otpFactor } from '../authState/factors.js';
import type {
  OtpCredentials,
  OtpStrategyOptions,
  OtpStrategyOptionsWithRequest,
  OtpVerified,
  OtpVerifyFunction,
  OtpVerifyFunctionWithRequest,
} from './options.js';
import {
  FAILURE_HTTP_STATUS,
  failureInfo,
  type OtpFailureStatus,
  type OtpSuccessInfo,
} from './outcomes.js';
import { requestContext } from './requestContext.js';

type Decision =
  | { kind: 'success'; user: Express.User; info: OtpSuccessInfo }
  | { kind: 'fail'; info: unknown; status: number }
  | { kind: 'error'; error: unknown };

type Verify = (req: Request, verification: Verification, done: OtpVerified) => void | Promise<void>;

type VerifyOutcome = {
  err: unknown;
  user?: Express.User | false | null | undefined;
  info?: object;
};

/**
 * Passport strategy that logs a user in with a one-time code: it reads a verification id and a
 * code from the request body, checks them with Checkpoint (bound to a purpose, and optionally to a
 * tenant and a subject), and hands the approved verification to the verify callback, which maps
 * it to a user.
 *
 * A wrong, expired or used-up code is a failure (`fail(info, 401)`, with `remainingAttempts`); a
 * malformed request is a failure with 400; a store outage or any other broken thing is an error
 * (`error(err)`). Exactly one of `success`, `fail` and `error` is called per request.
 *
 * Override {@link OtpStrategy.credentials} to read the id and code from elsewhere, and
 * {@link OtpStrategy.factor} to record a different factor.
 *
 * @example
 * passport.use(new OtpStrategy({ checkpoint }, (verification, done) => {
 *   done(null, users.byPhone(verification.to.phone?.e164) ?? false);
 * }));
 * app.post('/login/otp', passport.authenticate('checkpoint-otp'), (req, res) => res.json({ ok: true }));
 */
export class OtpStrategy extends Strategy {
  /** The name `passport.authenticate()` knows it by. */
  name = 'checkpoint-otp';
  protected readonly checkpoint: Checkpoint;
  protected readonly purpose: string;
  protected readonly idField: string;
  protected readonly codeField: string;
  protected readonly clock: Clock;
  // Ordinary properties, not #private ones: passport authenticates each request on
  // Object.create(strategy), a receiver that #private fields would reject.
  private readonly verifyCallback: Verify;
  private readonly tenantIdOption: ((req: Request) => string) | undefined;
  private readonly subjectOption: ((req: Request) => string | undefined) | undefined;
  private readonly contextOption: (req: Request) => RequestContext;

  constructor(options: OtpStrategyOptions, verify: OtpVerifyFunction);
  constructor(options: OtpStrategyOptionsWithRequest, verify: OtpVerifyFunctionWithRequest);
  constructor(
    options: OtpStrategyOptions | OtpStrategyOptionsWithRequest,
    verify: OtpVerifyFunction | OtpVerifyFunctionWithRequest,
  ) {
    super();
    if (typeof options !== 'object' || options === null) {
      throw new TypeError('OtpStrategy requires an options object: { checkpoint, purpose? }');
    }
    const {
      checkpoint,
      purpose = 'login',
      idField = 'id',
      codeField = 'code',
      tenantId,
      subject,
      context = requestContext,
      clock = systemClock,
    } = options;
    if (
      typeof checkpoint !== 'object' ||
      checkpoint === null ||
      typeof checkpoint.check !== 'function' ||
      typeof checkpoint.get !== 'function'
    ) {
      throw new TypeError(
        'OtpStrategy requires `checkpoint`: the object createCheckpoint() returns',
      );
    }
    if (typeof verify !== 'function') throw new TypeError('OtpStrategy requires a verify callback');
    for (const [what, value] of [
      ['purpose', purpose],
      ['idField', idField],
      ['codeField', codeField],
    ] as const) {
      if (typeof value !== 'string' || value === '') {
        throw new TypeError(`OtpStrategy: \`${what}\` must be a non-empty string`);
      }
    }
    for (const [what, value] of [
      ['tenantId', tenantId],
      ['subject', subject],
      ['context', context],
    ] as const) {
      if (value !== undefined && typeof value !== 'function') {
        throw new TypeError(`OtpStrategy: \`${what}\` must be a function of the request`);
      }
    }
    this.checkpoint = checkpoint;
    this.purpose = purpose;
    this.idField = idField;
    this.codeField = codeField;
    this.clock = clock;
    this.tenantIdOption = tenantId;
    this.subjectOption = subject;
    this.contextOption = context;
    this.verifyCallback =
      options.passReqToCallback === true
        ? (verify as OtpVerifyFunctionWithRequest)
        : (_req, verification, done) => (verify as OtpVerifyFunction)(verification, done);
  }

  /**
   * Passport calls this once per request. It decides first and then calls exactly one of
   * `success`, `fail` or `error`, so nothing the app does inside those can trigger a second one.
   */
  override authenticate(req: Request, _options?: unknown): void {
    void this.decide(req).then((decision) => this.settle(decision));
  }

  /**
   * Reads the verification id and the code: `req.body[idField]` and `req.body[codeField]`. Only
   * the body: codes do not belong in URLs, which end up in logs and browser history (ASVS V14.2.1).
   * Override to read them from elsewhere; the strategy checks that both are non-empty strings.
   *
   * @example
   * class SessionOtpStrategy extends OtpStrategy {
   *   override credentials(req: Request) { return { id: req.session.otpId, code: req.body?.code }; }
   * }
   */
  credentials(req: Request): OtpCredentials {
    const body: unknown = req.body;
    if (typeof body !== 'object' || body === null) return { id: undefined, code: undefined };
    return { id: own(body, this.idField), code: own(body, this.codeField) };
  }

  /**
   * The factor an approved verification adds to the session's AuthState (`info.factor`).
   * By default {@link otpFactor} at the strategy's clock: the method of the weakest medium among
   * the codes sent (`verification.media`), so `otp-email` once an email code was sent, even when a
   * fallback then sent an SMS code; `otp-sms` for SMS codes alone, and so on.
   *
   * @example
   * class VoiceAwareStrategy extends OtpStrategy {
   *   override factor(v: Verification) { return otpFactor(v, { method: 'otp-voice', at: this.clock.now() }); }
   * }
   */
  factor(verification: Verification): AuthFactor {
    return otpFactor(verification, { at: this.clock.now() });
  }

  private async decide(req: Request): Promise<Decision> {
    try {
      const { id, code } = this.credentials(req);
      if (isBlank(id) || isBlank(code)) return failure('missing_credentials');
      if (typeof id !== 'string' || typeof code !== 'string') {
        return failure('invalid_request', 'id and code must be strings');
      }
      const input: CheckInput = {
        id,
        code,
        purpose: this.purpose,
        context: this.contextOption(req),
      };
      if (this.tenantIdOption !== undefined) input.tenantId = this.tenantIdOption(req);
      if (this.subjectOption !== undefined) {
        const subject = this.subjectOption(req);
        if (subject === undefined) return failure('no_pending_login');
        input.subject = subject;
      }

      let result: CheckResult;
      try {
        result = await this.checkpoint.check(input);
      } catch (error) {
        // A binding that differs, an unknown id and a replayed approval all read the same.
        if (isCheckpointError(error) && error.code === 'not_found') return failure('not_found');
        if (isCheckpointError(error) && error.code === 'invalid_request') {
          return failure('invalid_request', error.message);
        }
        return { kind: 'error', error };
      }
      if (result.status !== 'approved') {
        return failure(result.status, undefined, result.remainingAttempts);
      }

      const verification = await this.checkpoint.get(id);
      const factor = this.factor(verification);
      const { err, user, info } = await this.callVerify(req, verification);
      if (err) return { kind: 'error', error: err };
      if (!user) return { kind: 'fail', info: info ?? failureInfo('rejected'), status: 401 };
      return { kind: 'success', user, info: { ...info, verification, factor } };
    } catch (error) {
      return { kind: 'error', error };
    }
  }

  /** Resolves with the first `done(…)`; a verify callback that throws or rejects first is an error. */
  private callVerify(req: Request, verification: Verification): Promise<VerifyOutcome> {
    return new Promise<VerifyOutcome>((resolve) => {
      const done: OtpVerified = (err, user, info) => {
        resolve(info === undefined ? { err, user } : { err, user, info });
      };
      try {
        const returned = this.verifyCallback(req, verification, done);
        if (returned instanceof Promise) returned.catch((err: unknown) => resolve({ err }));
      } catch (err) {
        resolve({ err });
      }
    });
  }

  private settle(decision: Decision): void {
    switch (decision.kind) {
      case 'success':
        this.success(decision.user, decision.info);
        return;
      case 'fail':
        this.fail(decision.info, decision.status);
        return;
      case 'error':
        this.error(asError(decision.error));
        return;
    }
  }
}

function failure(status: OtpFailureStatus, message?: string, remainingAttempts?: number): Decision {
  const options: { message?: string; remainingAttempts?: number } = {};
  if (message !== undefined) options.message = message;
  if (remainingAttempts !== undefined) options.remainingAttempts = remainingAttempts;
  return { kind: 'fail', info: failureInfo(status, options), status: FAILURE_HTTP_STATUS[status] };
}

/** An own property only: `__proto__` or `constructor` in a body never reads the prototype. */
function own(body: object, field: string): unknown {
  return Object.hasOwn(body, field) ? (body as Record<string, unknown>)[field] : undefined;
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value), { cause: value });
}
