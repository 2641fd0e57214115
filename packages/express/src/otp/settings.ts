import {
  type Checkpoint,
  type Clock,
  type RateWindow,
  type RequestContext,
  systemClock,
  type Verification,
} from '@checkpoint/core';
import type { Request } from 'express';
import { clientContext } from '../context/clientContext.js';
import { Decoys } from './decoy/Decoys.js';
import { FailedCheckLimiter } from './FailedCheckLimiter.js';
import { LatencySampler } from './LatencySampler.js';
import type { Awaitable, OtpRouterOptions } from './OtpRouterOptions.js';
import { RequestOrigin } from './requestOrigin.js';
import { RouterKeys } from './RouterKeys.js';

/**
 * The defaults of `otpRouter`'s `failedChecks`: 30 failed checks per IP and 10 per session user
 * in 15 minutes, across every verification (each verification also allows only `maxAttempts`).
 *
 * @example
 * otpRouter(checkpoint, { secret, failedChecks: { ...DEFAULT_FAILED_CHECKS, perIp: { limit: 100, windowSeconds: 900 } } });
 * @see NIST SP 800-63B §3.2.2 (at most 100 consecutive failed attempts per account)
 */
export const DEFAULT_FAILED_CHECKS = {
  perIp: { limit: 30, windowSeconds: 900 },
  perSubject: { limit: 10, windowSeconds: 900 },
} as const satisfies Record<string, RateWindow>;

/** @internal Everything the route handlers share, resolved once from the options. */
export interface OtpSettings {
  checkpoint: Checkpoint;
  clock: Pick<Clock, 'now'>;
  keys: RouterKeys;
  context: (req: Request) => Awaitable<RequestContext>;
  subject: OtpRouterOptions['subject'];
  tenantId: OtpRouterOptions['tenantId'];
  purposes: ReadonlySet<string> | undefined;
  /** The one purpose `/check` binds, when the router has exactly one. */
  checkPurpose: string | undefined;
  channels: readonly string[] | undefined;
  channelSet: ReadonlySet<string> | undefined;
  resolveDestination: OtpRouterOptions['resolveDestination'];
  onApproved: ((req: Request, verification: Verification) => Awaitable<void>) | undefined;
  limiter: FailedCheckLimiter;
  /** Present when `resolveDestination` is: decoys exist only where unknown accounts can be asked for. */
  decoys: Decoys | undefined;
  sendLatency: LatencySampler;
  resendLatency: LatencySampler;
  /** Per tenant, the channel the last real send went out on (a decoy's channel by default). */
  lastChannel: Map<string, string>;
  /** The request's origin for the WebOTP line; undefined when the checkpoint has its own or `webOtp` is false. */
  requestOrigin: RequestOrigin | undefined;
}

/** @internal Validates the options (a `TypeError` says what to pass) and fills in defaults. */
export function resolveSettings(checkpoint: Checkpoint, options: OtpRouterOptions): OtpSettings {
  if (
    typeof checkpoint !== 'object' ||
    checkpoint === null ||
    typeof checkpoint.check !== 'function'
  ) {
    throw new TypeError(
      'otpRouter requires a checkpoint: otpRouter(createCheckpoint({ … }), { secret })',
    );
  }
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('otpRouter requires options: otpRouter(checkpoint, { secret })');
  }
  const {
    secret,
    context = clientContext,
    subject,
    tenantId,
    purposes,
    channels,
    resolveDestination,
    failedChecks = {},
    onApproved,
    clock = systemClock,
    decoyRetainSeconds = 3_600,
    webOtp = true,
  } = options;
  for (const [name, value] of Object.entries({
    context,
    subject,
    tenantId,
    resolveDestination,
    onApproved,
  })) {
    if (value !== undefined && typeof value !== 'function') {
      throw new TypeError(`otpRouter: \`${name}\` must be a function of the request`);
    }
  }
  if (typeof webOtp !== 'boolean') throw new TypeError('otpRouter: `webOtp` must be true or false');
  if (!Number.isInteger(decoyRetainSeconds) || decoyRetainSeconds < 0) {
    throw new TypeError('otpRouter: `decoyRetainSeconds` must be a non-negative integer');
  }
  const keys = new RouterKeys(secret);
  const purposeSet = nameSet(purposes, 'purposes');
  const channelSet = nameSet(channels, 'channels');
  return {
    checkpoint,
    clock,
    keys,
    context,
    subject,
    tenantId,
    purposes: purposeSet,
    checkPurpose: purposeSet?.size === 1 ? [...purposeSet][0] : undefined,
    channels: channelSet === undefined ? undefined : [...channelSet],
    channelSet,
    resolveDestination,
    onApproved,
    limiter: new FailedCheckLimiter(checkpoint, keys, {
      perIp: limit(failedChecks.perIp, DEFAULT_FAILED_CHECKS.perIp, 'perIp'),
      perSubject: limit(failedChecks.perSubject, DEFAULT_FAILED_CHECKS.perSubject, 'perSubject'),
    }),
    decoys:
      resolveDestination === undefined
        ? undefined
        : new Decoys(checkpoint, keys, clock, decoyRetainSeconds * 1_000),
    sendLatency: new LatencySampler(),
    resendLatency: new LatencySampler(),
    lastChannel: new Map(),
    requestOrigin:
      webOtp && checkpoint.origin === undefined
        ? new RequestOrigin(checkpoint.logger, process.env['NODE_ENV'] === 'production')
        : undefined,
  };
}

function nameSet(
  list: readonly string[] | undefined,
  what: string,
): ReadonlySet<string> | undefined {
  if (list === undefined) return undefined;
  if (
    !Array.isArray(list) ||
    list.length === 0 ||
    list.some((name) => typeof name !== 'string' || name === '')
  ) {
    throw new TypeError(`otpRouter: \`${what}\` must be a non-empty array of names`);
  }
  return new Set(list);
}

function limit(
  value: RateWindow | false | undefined,
  fallback: RateWindow,
  what: string,
): RateWindow | undefined {
  if (value === false) return undefined;
  const window = value ?? fallback;
  if (
    !Number.isInteger(window.limit) ||
    window.limit < 1 ||
    !Number.isInteger(window.windowSeconds) ||
    window.windowSeconds < 1
  ) {
    throw new TypeError(
      `otpRouter: \`failedChecks.${what}\` must be { limit, windowSeconds } with positive integers, or false`,
    );
  }
  return window;
}
