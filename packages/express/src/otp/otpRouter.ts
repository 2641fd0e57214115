import { type Checkpoint, CheckpointError } from '@checkpoint/core';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { errorHandler } from '../errors/errorHandler.js';
import { jsonBody } from '../http/jsonBody.js';
import type { OtpRouterOptions } from './OtpRouterOptions.js';
import { cancelRoute } from './routes/cancelRoute.js';
import { checkRoute } from './routes/checkRoute.js';
import { resendRoute } from './routes/resendRoute.js';
import { sendRoute } from './routes/sendRoute.js';
import { resolveSettings } from './settings.js';

/**
 * The OTP HTTP surface as an Express router, to mount where the app likes:
 *
 * - `POST /send { to, purpose, channel? }` -> 202 `{ id, channel, expiresAt }`
 * - `POST /check { id, code }` -> 200 `{ status, remainingAttempts }` (a wrong code is 200 `failed`)
 * - `POST /:id/resend { channel? }` -> 202 `{ id, channel, expiresAt }`
 * - `POST /:id/cancel` -> 204
 *
 * The router parses its own JSON bodies (`strict`, `bodyLimit`, default 8 kB), validates them
 * (400, never 500), limits failed checks per IP and per subject across verifications, and with
 * `resolveDestination` answers for unknown accounts exactly as for known ones. Errors are JSON
 * `{ error, message, retryAfter? }` from the {@link errorHandler} it mounts last.
 *
 * @example
 * const checkpoint = createCheckpoint({ secret, channels: [twilioSms({ … })] });
 * app.use(session({ … }));
 * app.use('/otp', otpRouter(checkpoint, {
 *   secret,
 *   purposes: ['login'],
 *   subject: (req) => req.session.userId,
 * }));
 * @see OWASP ASVS 5.0 V6.3.8 (no enumeration), V6.6.3 (rate limiting), V4.1.3 (trusted proxies)
 */
export function otpRouter(checkpoint: Checkpoint, options: OtpRouterOptions): Router {
  const settings = resolveSettings(checkpoint, options);
  const { bodyLimit = '8kb', errors = true } = options;
  const router = express.Router();
  // One layer for the four routes, not a route per path with the parser in front: each Express
  // layer costs a dispatch on every request. Per path, not router.use(parser): mounted at the
  // app's root, the router must not parse (or refuse) bodies meant for the app's other routes.
  const json = jsonBody(bodyLimit);
  const routes = {
    send: sendRoute(settings),
    check: checkRoute(settings),
    resend: resendRoute(settings),
    cancel: cancelRoute(settings),
  };
  router.use((req: Request, res: Response, next: NextFunction): void => {
    const match = req.method === 'POST' ? matchRoute(req.path) : undefined;
    if (match === undefined) {
      next();
      return;
    }
    if (match.id !== undefined) req.params = { id: match.id };
    json(req, res, (error?: unknown) => {
      if (error === undefined) routes[match.route](req, res, next);
      else next(error);
    });
  });
  if (errors !== false) router.use(errorHandler(errors === true ? {} : errors));
  return router;
}

type RouteName = 'send' | 'check' | 'resend' | 'cancel';

const ID_ROUTE = /^\/([^/]+)\/(resend|cancel)\/?$/i;

/**
 * The route of a path below the mount point, matched as Express matches `router.post(path)`:
 * case-insensitively, with an optional trailing slash, the id URI-decoded (400 when it cannot be).
 */
function matchRoute(path: string): { route: RouteName; id?: string } | undefined {
  const bare = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  const lower = bare.toLowerCase();
  if (lower === '/send') return { route: 'send' };
  if (lower === '/check') return { route: 'check' };
  const found = ID_ROUTE.exec(path);
  if (found === null) return undefined;
  const [, encoded = '', action = ''] = found;
  let id: string;
  try {
    id = decodeURIComponent(encoded);
  } catch {
    throw new CheckpointError(
      'invalid_request',
      'the verification id in the path is not URI-encoded',
    );
  }
  return { route: action.toLowerCase() as RouteName, id };
}
