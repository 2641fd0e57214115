import { isCheckpointError } from '@checkpoint/core';
import type { Factors } from '@checkpoint/factors';
import type { Factor } from '@checkpoint/policy';
import type { Request } from 'express';
import { Strategy } from 'passport-strategy';

/** `done(err)`, `done(null, false, info?)` or `done(null, user, info?)`. */
export type FactorCodeVerified = (
  err: unknown,
  user?: Express.User | false | null,
  info?: object,
) => void;

/**
 * Maps the user whose code was accepted to a user object.
 *
 * @example const verify: FactorCodeVerifyFunction = (userId, done) => done(null, users.get(userId) ?? false);
 */
export type FactorCodeVerifyFunction = (
  userId: string,
  done: FactorCodeVerified,
) => void | Promise<void>;

/** Options of {@link TotpStrategy} and {@link RecoveryCodeStrategy}. */
export interface FactorCodeStrategyOptions {
  /** From `createFactors()` of @checkpoint/factors. */
  factors: Factors;
  /** The user whose code this is: the pending user of a second-factor login (`pendingUserId`). */
  userId: (req: Request) => string | undefined;
  /** The user's tenant. @default () => 'default' */
  tenantId?: (req: Request) => string;
  /** Body field holding the code. @default 'code' */
  codeField?: string;
}

/**
 * The `info` of a successful login (→ `req.authInfo`): the factor for `completeLogin`, and the
 * tenant it was checked under.
 *
 * @example completeLogin(req, { user, info }); // counts info.factor
 */
export interface FactorCodeSuccessInfo {
  factor: Factor;
  tenantId: string;
  /** Recovery codes left after this one (RecoveryCodeStrategy). */
  remaining?: number;
}

type Decision =
  | { kind: 'success'; user: Express.User; info: FactorCodeSuccessInfo }
  | { kind: 'fail'; info: object; status: number }
  | { kind: 'error'; error: unknown };

/** @internal What both strategies share; subclasses say how a code is checked. */
abstract class FactorCodeStrategy extends Strategy {
  // Ordinary properties: passport authenticates on Object.create(strategy).
  protected readonly factors: Factors;
  private readonly verifyCallback: FactorCodeVerifyFunction;
  private readonly userIdOption: (req: Request) => string | undefined;
  private readonly tenantIdOption: (req: Request) => string;
  private readonly codeField: string;

  constructor(kind: string, options: FactorCodeStrategyOptions, verify: FactorCodeVerifyFunction) {
    super();
    if (typeof options !== 'object' || options === null) {
      throw new TypeError(`${kind} requires an options object: { factors, userId }`);
    }
    const { factors, userId, tenantId = () => 'default', codeField = 'code' } = options;
    if (typeof factors?.totp?.verify !== 'function') {
      throw new TypeError(
        `${kind} requires \`factors\`: the object createFactors() of @checkpoint/factors returns`,
      );
    }
    if (typeof userId !== 'function') {
      throw new TypeError(
        `${kind} requires \`userId(req)\`: the pending user (e.g. pendingUserId)`,
      );
    }
    if (typeof tenantId !== 'function')
      throw new TypeError(`${kind}: \`tenantId\` must be a function of the request`);
    if (typeof verify !== 'function') throw new TypeError(`${kind} requires a verify callback`);
    if (typeof codeField !== 'string' || codeField === '') {
      throw new TypeError(`${kind}: \`codeField\` must be a non-empty string`);
    }
    this.factors = factors;
    this.verifyCallback = verify;
    this.userIdOption = userId;
    this.tenantIdOption = tenantId;
    this.codeField = codeField;
  }

  /** @internal Checks `code` for the owner: the factor it proved, or a failure status. */
  protected abstract check(
    owner: { tenantId: string; userId: string },
    code: string,
  ): Promise<{ factor: Factor; remaining?: number } | { status: string }>;

  override authenticate(req: Request): void {
    void this.decide(req).then(
      (decision) => {
        if (decision.kind === 'success') this.success(decision.user, decision.info);
        else if (decision.kind === 'fail') this.fail(decision.info, decision.status);
        else
          this.error(
            decision.error instanceof Error ? decision.error : new Error(String(decision.error)),
          );
      },
      (error: unknown) => this.error(error instanceof Error ? error : new Error(String(error))),
    );
  }

  private async decide(req: Request): Promise<Decision> {
    const body: unknown = (req as { body?: unknown }).body;
    const code =
      typeof body === 'object' && body !== null && Object.hasOwn(body, this.codeField)
        ? (body as Record<string, unknown>)[this.codeField]
        : undefined;
    if (typeof code !== 'string' || code === '' || code.length > 32) {
      return {
        kind: 'fail',
        status: 400,
        info: { status: 'missing_credentials', message: `missing ${this.codeField}` },
      };
    }
    const userId = this.userIdOption(req);
    if (userId === undefined) {
      return {
        kind: 'fail',
        status: 401,
        info: { status: 'no_pending_login', message: 'sign in with your password first' },
      };
    }
    const tenantId = this.tenantIdOption(req);
    let checked: Awaited<ReturnType<FactorCodeStrategy['check']>>;
    try {
      checked = await this.check({ tenantId, userId }, code);
    } catch (error) {
      if (
        isCheckpointError(error) &&
        (error.code === 'rate_limited' || error.code === 'invalid_request')
      ) {
        const info: Record<string, unknown> = { status: error.code, message: error.message };
        if (error.retryAfter !== undefined) info.retryAfter = error.retryAfter;
        return { kind: 'fail', status: error.code === 'rate_limited' ? 429 : 400, info };
      }
      return { kind: 'error', error };
    }
    if ('status' in checked) {
      return {
        kind: 'fail',
        status: 401,
        info: { status: checked.status, message: 'code not accepted' },
      };
    }
    const outcome = await new Promise<{
      err: unknown;
      user?: Express.User | false | null;
      info?: object;
    }>((resolve) => {
      let settled = false;
      const done: FactorCodeVerified = (err, user, info) => {
        if (settled) return;
        settled = true;
        resolve({
          err,
          ...(user === undefined ? {} : { user }),
          ...(info === undefined ? {} : { info }),
        });
      };
      Promise.resolve()
        .then(() => this.verifyCallback(userId, done))
        .catch((err: unknown) => done(err));
    });
    if (outcome.err) return { kind: 'error', error: outcome.err };
    if (!outcome.user) {
      return {
        kind: 'fail',
        status: 401,
        info: outcome.info ?? { status: 'rejected', message: 'not accepted' },
      };
    }
    const info: FactorCodeSuccessInfo = { ...outcome.info, factor: checked.factor, tenantId };
    if (checked.remaining !== undefined) info.remaining = checked.remaining;
    return { kind: 'success', user: outcome.user, info };
  }
}

/**
 * Passport strategy for the second factor of a login with an authenticator app (TOTP): reads
 * `code` from the body, checks it for the pending user with @checkpoint/factors (±1 step, never a
 * code twice) and hands the user id to `verify`. A wrong or replayed code is `fail(401)`, a
 * malformed body `fail(400)`, too many guesses `fail(429)`, a store outage `error`.
 *
 * @example
 * passport.use(new TotpStrategy({ factors, userId: pendingUserId }, (userId, done) => done(null, users.get(userId) ?? false)));
 * app.post('/login/totp', passport.authenticate('checkpoint-totp', { session: false }), (req, res, next) =>
 *   completeLogin(req).then((result) => res.json(result), next));
 * @see RFC 6238; NIST SP 800-63B rev 4 §3.1.4
 */
export class TotpStrategy extends FactorCodeStrategy {
  /** The name `passport.authenticate()` knows it by. */
  name = 'checkpoint-totp';

  constructor(options: FactorCodeStrategyOptions, verify: FactorCodeVerifyFunction) {
    super('TotpStrategy', options, verify);
  }

  protected override async check(owner: { tenantId: string; userId: string }, code: string) {
    const result = await this.factors.totp.verify({ owner, code });
    return result.status === 'approved' ? { factor: result.factor } : { status: result.status };
  }
}

/**
 * Passport strategy for a login with a recovery code instead of the second factor: the code is
 * spent (exactly once, even under concurrent submissions) and the use is audited and announced by
 * @checkpoint/factors. The factor satisfies `login`, never an AAL3 checkpoint.
 *
 * @example
 * passport.use(new RecoveryCodeStrategy({ factors, userId: pendingUserId }, (userId, done) => done(null, users.get(userId) ?? false)));
 * @see NIST SP 800-63B rev 4 §3.1.2 (look-up secrets), §4.2
 */
export class RecoveryCodeStrategy extends FactorCodeStrategy {
  /** The name `passport.authenticate()` knows it by. */
  name = 'checkpoint-recovery-code';

  constructor(options: FactorCodeStrategyOptions, verify: FactorCodeVerifyFunction) {
    super('RecoveryCodeStrategy', options, verify);
  }

  protected override async check(owner: { tenantId: string; userId: string }, code: string) {
    const result = await this.factors.recoveryCodes.use({ owner, code });
    return result.status === 'approved'
      ? { factor: result.factor, remaining: result.remaining }
      : { status: result.status };
  }
}
