import type { Checkpoint } from '@checkpoint/core';
import express, { type Router } from 'express';
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
  // Per route, not router.use(): mounted at the app's root, the router must not parse (or
  // refuse) bodies meant for the app's other routes.
  const json = jsonBody(bodyLimit);
  router.post('/send', json, sendRoute(settings));
  router.post('/check', json, checkRoute(settings));
  router.post('/:id/resend', json, resendRoute(settings));
  router.post('/:id/cancel', json, cancelRoute(settings));
  if (errors !== false) router.use(errorHandler(errors === true ? {} : errors));
  return router;
}
