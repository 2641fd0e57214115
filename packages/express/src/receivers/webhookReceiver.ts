import { isCheckpointError } from '@checkpoint/core';
import {
  memoryReplayGuard,
  type ReplayGuard,
  verifyWebhook,
  type WebhookEvent,
  type WebhookSecrets,
} from '@checkpoint/webhooks';
import express, { type Request, type Router } from 'express';
import { errorHandler } from '../errors/errorHandler.js';
import { handler } from '../http/handler.js';

/** Options of {@link webhookReceiver}. */
export interface WebhookReceiverOptions {
  /** The endpoint's `whsec_…` secret, or several during a rotation (any one verifies). */
  secrets: WebhookSecrets;
  /** Handles a verified event, once per `webhook-id`. A throw answers 500, so the sender retries. */
  onEvent: (event: WebhookEvent, req: Request) => void | Promise<void>;
  /** Remembers ids seen within the tolerance; use a Store-backed one with several processes. @default memoryReplayGuard() */
  seen?: ReplayGuard;
  /** Seconds a timestamp may be off in either direction. @default 300 */
  toleranceSeconds?: number;
  /** Largest body accepted. @default '64kb' */
  bodyLimit?: string | number;
}

/**
 * Receives Checkpoint's outbound events (Standard Webhooks) in an Express app: one `POST /` that
 * verifies `webhook-signature` over the raw bytes, the timestamp tolerance and the id (a replayed
 * id is acknowledged with 200 and not handled twice: a retry whose first answer was lost), then
 * calls `onEvent`. A bad signature or timestamp is 401, a malformed request 400, both JSON.
 *
 * @example
 * app.use('/checkpoint-events', webhookReceiver({
 *   secrets: process.env.CHECKPOINT_WEBHOOK_SECRET,
 *   onEvent: async (event) => { if (event.type === 'verification.blocked') alertFraudTeam(event.data); },
 * }));
 * @see https://www.standardwebhooks.com/ ; SECURITY-NOTES §2.1
 */
export function webhookReceiver(options: WebhookReceiverOptions): Router {
  const {
    secrets,
    onEvent,
    seen = memoryReplayGuard(),
    toleranceSeconds = 300,
    bodyLimit = '64kb',
  } = options;
  if (typeof onEvent !== 'function') {
    throw new TypeError('webhookReceiver needs onEvent(event, req): what to do with each event');
  }
  const router = express.Router();
  router.post(
    '/',
    express.raw({ type: '*/*', limit: bodyLimit }),
    handler(async (req, res) => {
      const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      let event: WebhookEvent;
      try {
        event = await verifyWebhook({
          secrets,
          headers: req.headers,
          rawBody,
          toleranceSeconds,
          seen,
        });
      } catch (error) {
        if (isCheckpointError(error) && error.reasons.includes('replay')) {
          res.status(200).json({ received: true, replay: true });
          return;
        }
        throw error;
      }
      await onEvent(event, req);
      res.status(200).json({ received: true });
    }),
  );
  router.use(errorHandler());
  return router;
}
