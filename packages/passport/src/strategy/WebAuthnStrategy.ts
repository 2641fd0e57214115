import { isCheckpointError } from '@checkpoint/core';
import type { Factor } from '@checkpoint/policy';
import type { StoredCredential, WebAuthn } from '@checkpoint/webauthn';
import type { Request } from 'express';
import { Strategy } from 'passport-strategy';

/**
 * What `verify` answers: `done(err)`, `done(null, false, info?)` or `done(null, user, info?)`.
 *
 * @example const done: WebAuthnVerified = (err, user) => { … };
 */
export type WebAuthnVerified = (
  err: unknown,
  user?: Express.User | false | null,
  info?: object,
) => void;

/**
 * Maps the user id a verified passkey belongs to (the id given at registration) to a user.
 *
 * @example
 * const verify: WebAuthnVerifyFunction = (userId, done) => done(null, users.byId(userId) ?? false);
 */
export type WebAuthnVerifyFunction = (
  userId: string,
  done: WebAuthnVerified,
) => void | Promise<void>;

/** Options of {@link WebAuthnStrategy}. */
export interface WebAuthnStrategyOptions {
  /** The ceremonies, from `createWebAuthn()` of @checkpoint/webauthn. */
  webauthn: WebAuthn;
  /**
   * The user whose passkey must answer: for a second factor, the pending user (`pendingUserId`).
   * Absent, any registered passkey logs its owner in (a discoverable-credential login), and the
   * credential's owner is the user. When the function returns undefined the login fails.
   * @default none (passkey login)
   */
  userId?: (req: Request) => string | undefined;
  /** The tenant the credential must belong to. @default not compared */
  tenantId?: (req: Request) => string | undefined;
  /** Body field holding @simplewebauthn/browser's `startAuthentication()` result. @default 'response' */
  responseField?: string;
}

/**
 * The `info` of a successful passkey login (→ `req.authInfo`): the factor to hand to
 * `completeLogin` and the credential that proved it.
 *
 * @example completeLogin(req, { user, info }); // counts info.factor
 */
export interface WebAuthnSuccessInfo {
  factor: Factor;
  credential: StoredCredential;
  tenantId?: string;
}

/**
 * Passport strategy for passkeys (WebAuthn), as the only factor (passkey login) or as the second
 * one after a password (`userId: pendingUserId`). It reads the assertion from the request body,
 * verifies it with @checkpoint/webauthn — single-use challenge, the credential's owner, origin,
 * counter, user verification — and hands the owner's id to `verify`. A refused assertion is a
 * failure (401 with `{ status: 'refused', reasons }`), a malformed body a failure with 400, a
 * store outage an error. The success info carries the `webauthn` factor (AAL3 for a
 * user-verified device-bound passkey, AAL2 for a synced one) for `completeLogin`.
 *
 * @example
 * passport.use(new WebAuthnStrategy({ webauthn }, (userId, done) => done(null, users.byId(userId) ?? false)));
 * app.post('/login/passkey', (req, res, next) =>
 *   passport.authenticate('checkpoint-webauthn', (err, user, info, status) => {
 *     if (err) return next(err);
 *     if (!user) return res.status(status ?? 401).json(info);
 *     completeLogin(req, { user, info }).then((result) => res.json(result), next);
 *   })(req, res, next));
 */
export class WebAuthnStrategy extends Strategy {
  /** The name `passport.authenticate()` knows it by. */
  name = 'checkpoint-webauthn';
  // Ordinary properties: passport authenticates on Object.create(strategy).
  private readonly webauthn: WebAuthn;
  private readonly verifyCallback: WebAuthnVerifyFunction;
  private readonly userIdOption: ((req: Request) => string | undefined) | undefined;
  private readonly tenantIdOption: ((req: Request) => string | undefined) | undefined;
  private readonly responseField: string;

  constructor(options: WebAuthnStrategyOptions, verify: WebAuthnVerifyFunction) {
    super();
    if (typeof options !== 'object' || options === null) {
      throw new TypeError('WebAuthnStrategy requires an options object: { webauthn }');
    }
    const { webauthn, userId, tenantId, responseField = 'response' } = options;
    if (
      typeof webauthn !== 'object' ||
      webauthn === null ||
      typeof webauthn.verifyAuthentication !== 'function'
    ) {
      throw new TypeError(
        'WebAuthnStrategy requires `webauthn`: the object createWebAuthn() of @checkpoint/webauthn returns',
      );
    }
    if (typeof verify !== 'function') {
      throw new TypeError('WebAuthnStrategy requires a verify callback');
    }
    for (const [what, value] of [
      ['userId', userId],
      ['tenantId', tenantId],
    ] as const) {
      if (value !== undefined && typeof value !== 'function') {
        throw new TypeError(`WebAuthnStrategy: \`${what}\` must be a function of the request`);
      }
    }
    if (typeof responseField !== 'string' || responseField === '') {
      throw new TypeError('WebAuthnStrategy: `responseField` must be a non-empty string');
    }
    this.webauthn = webauthn;
    this.verifyCallback = verify;
    this.userIdOption = userId;
    this.tenantIdOption = tenantId;
    this.responseField = responseField;
  }

  override authenticate(req: Request): void {
    void this.decide(req).then(
      (decision) => {
        if (decision.kind === 'success') this.success(decision.user, decision.info);
        else if (decision.kind === 'fail') this.fail(decision.info, decision.status);
        else this.error(asError(decision.error));
      },
      (error: unknown) => this.error(asError(error)),
    );
  }

  private async decide(
    req: Request,
  ): Promise<
    | { kind: 'success'; user: Express.User; info: WebAuthnSuccessInfo }
    | { kind: 'fail'; info: object; status: number }
    | { kind: 'error'; error: unknown }
  > {
    const body = (req as { body?: unknown }).body;
    const response =
      typeof body === 'object' && body !== null
        ? (body as Record<string, unknown>)[this.responseField]
        : undefined;
    if (response === undefined) {
      return {
        kind: 'fail',
        status: 400,
        info: { status: 'missing_credentials', message: `missing ${this.responseField}` },
      };
    }
    let expectedUser: string | undefined;
    if (this.userIdOption !== undefined) {
      expectedUser = this.userIdOption(req);
      if (expectedUser === undefined) {
        return {
          kind: 'fail',
          status: 401,
          info: { status: 'no_pending_login', message: 'sign in with your password first' },
        };
      }
    }
    const tenantId = this.tenantIdOption?.(req);
    let result: Awaited<ReturnType<WebAuthn['verifyAuthentication']>>;
    try {
      result = await this.webauthn.verifyAuthentication({
        response,
        ...(expectedUser === undefined ? {} : { userId: expectedUser }),
        ...(tenantId === undefined ? {} : { tenantId }),
      });
    } catch (error) {
      if (isCheckpointError(error) && error.code === 'authentication_failed') {
        return {
          kind: 'fail',
          status: 401,
          info: { status: 'refused', message: error.message, reasons: [...error.reasons] },
        };
      }
      if (isCheckpointError(error) && error.code === 'invalid_request') {
        return {
          kind: 'fail',
          status: 400,
          info: { status: 'invalid_request', message: error.message },
        };
      }
      return { kind: 'error', error };
    }
    const outcome = await new Promise<{
      err: unknown;
      user?: Express.User | false | null | undefined;
      info?: object;
    }>((resolve) => {
      let settled = false;
      const done: WebAuthnVerified = (err, user, info) => {
        if (settled) return;
        settled = true;
        resolve({ err, user, ...(info === undefined ? {} : { info }) });
      };
      Promise.resolve()
        .then(() => this.verifyCallback(result.userId, done))
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
    return {
      kind: 'success',
      user: outcome.user,
      info: {
        ...outcome.info,
        factor: result.factor,
        credential: result.credential,
        ...(tenantId === undefined ? {} : { tenantId }),
      },
    };
  }
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value), { cause: value });
}
