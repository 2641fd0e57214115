import type {
  Clock,
  DestinationInput,
  RateWindow,
  RequestContext,
  SecretOption,
  Verification,
} from '@checkpoint/core';
import type { Request } from 'express';
import type { ErrorHandlerOptions } from '../errors/errorHandler.js';

/**
 * A value, or a promise of it: every option function may be sync or async.
 * @example const subject = (req: Request): Awaitable<string | undefined> => req.session.userId;
 */
export type Awaitable<T> = T | Promise<T>;

/**
 * The `POST /send` body after validation, as `resolveDestination` receives it.
 * @example resolveDestination: async (_req, body: SendRequestBody) => (await users.byName(body.to))?.phone
 */
export interface SendRequestBody {
  /** A phone number or email address — or, with `resolveDestination`, an account identifier. */
  to: string;
  purpose: string;
  channel?: string;
}

/**
 * Limits on failed checks across verification ids (`otpRouter` option `failedChecks`).
 * @example { perIp: { limit: 30, windowSeconds: 900 }, perSubject: false }
 * @see OWASP ASVS 5.0 V6.6.3 (rate limiting of out-of-band codes)
 */
export interface FailedCheckLimits {
  /**
   * Failed checks tolerated per client IP in a window, across every verification; the next one
   * answers 429 until the window ends. `false` turns it off.
   * @default { limit: 30, windowSeconds: 900 }
   */
  perIp?: RateWindow | false;
  /**
   * The same per session user (from `subject`), across every verification and IP.
   * @default { limit: 10, windowSeconds: 900 }
   */
  perSubject?: RateWindow | false;
}

/**
 * Options of `otpRouter`; only `secret` is required.
 * @example
 * const options: OtpRouterOptions = { secret, purposes: ['login'], subject: (req) => req.session.userId };
 */
export interface OtpRouterOptions {
  /**
   * Key for the router's keyed hashes (rate-limit keys, decoy ids): at least 32 bytes, or
   * `[{ id, key }, …]` to rotate. The secret given to `createCheckpoint` may be reused: the router
   * derives its own keys from it. Every process must use the same one.
   */
  secret: SecretOption | undefined;
  /** The request facts recorded and rate-limited on. @default clientContext (`req.ip` and user agent) */
  context?: (req: Request) => Awaitable<RequestContext>;
  /**
   * The session user: sends are bound to it and a check from anyone else answers 404. When it
   * returns undefined (nobody signed in), the verification is bound to "nobody signed in".
   * @default none (no binding)
   */
  subject?: (req: Request) => Awaitable<string | undefined>;
  /** The tenant of the request. @default the `default` tenant */
  tenantId?: (req: Request) => Awaitable<string | undefined>;
  /**
   * Purposes this router may send codes for; any other is 400. With exactly one, `/check` is also
   * bound to it. @default any purpose core accepts
   */
  purposes?: readonly string[];
  /** Channel names a client may ask for in `channel`; any other is 400. @default any */
  channels?: readonly string[];
  /**
   * For flows where the client sends an account identifier (login, password reset) instead of a
   * destination: map `body.to` to the account's phone or email, or return undefined for an
   * unknown account — which then gets a decoy answer indistinguishable from a real send.
   * @default none (`to` is the destination)
   */
  resolveDestination?: (
    req: Request,
    body: SendRequestBody,
  ) => Awaitable<DestinationInput | undefined>;
  /** Failed-check limits across verification ids. @default 30 per IP and 10 per subject per 15 min */
  failedChecks?: FailedCheckLimits;
  /**
   * Called after a check approves, before the 200 answer, with the verification (purpose,
   * subject, tenant, destination): the place to sign the user in or record the factor. A throw
   * answers 500; the approval stands.
   * @default none
   */
  onApproved?: (req: Request, verification: Verification) => Awaitable<void>;
  /** Largest JSON body accepted (bytes, or a string such as `'8kb'`). @default '8kb' */
  bodyLimit?: number | string;
  /**
   * Mount `errorHandler()` at the end of the router (`true`, or its options), or let errors go
   * to the app's own error middleware (`false`). @default true
   */
  errors?: boolean | ErrorHandlerOptions;
  /** The checkpoint's clock (decoy expiry, failed-check blocks). @default systemClock */
  clock?: Pick<Clock, 'now'>;
  /** How long the store keeps an ended verification (its `retainSeconds`); decoys do the same. @default 3600 */
  decoyRetainSeconds?: number;
  /**
   * When the checkpoint has no `origin`, send and resend pass the request's origin
   * (`req.protocol` and `req.hostname`, which honour `trust proxy`) so that SMS end with the
   * WebOTP line `@host #code`. Only a DNS name with a dot is used — never an IP address,
   * `localhost` or anything malformed. The Host header is chosen by the client: an app reachable
   * with any Host should pass `createCheckpoint({ origin })` instead. `false` turns it off.
   * @default true
   * @see https://wicg.github.io/sms-one-time-codes/
   */
  webOtp?: boolean;
}
