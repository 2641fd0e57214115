import { type Checkpoint, isCheckpointError } from '@checkpoint/core';
import {
  parseTwilioInbound,
  parseTwilioStatus,
  parseWhatsAppStatuses,
  validateTwilioSignature,
  validateWhatsAppSignature,
  whatsappVerifyHandshake,
} from '@checkpoint/channels';
import express, { type Request, type Response, type Router } from 'express';
import { errorHandler } from '../errors/errorHandler.js';
import { handler } from '../http/handler.js';

/** Options of {@link providerWebhooks}. Configure the providers you use; each adds its routes. */
export interface ProviderWebhooksOptions {
  /**
   * The public URL this router is mounted at, as the provider calls it (`https://app.example/hooks`):
   * Twilio signs the exact URL it posts to, which a proxy or TLS terminator in front of the app
   * changes. Never read from the `Host` header.
   */
  publicUrl: string;
  /** Twilio: `POST /twilio/status` (message and call status callbacks) and `POST /twilio/inbound` (STOP / HELP / START). */
  twilio?: {
    authToken: string;
    /** Channel names of the receipts. @default { sms: 'sms', voice: 'voice' } */
    channels?: { sms?: string; voice?: string };
  };
  /** WhatsApp Cloud API: `GET /whatsapp` (verify-token handshake) and `POST /whatsapp` (status notifications). */
  whatsapp?: {
    appSecret: string;
    verifyToken: string;
    /** Channel name of the receipts. @default 'whatsapp' */
    channel?: string;
  };
  /** The tenant an inbound keyword applies to, from the number it was sent to. @default 'default' */
  tenantFor?: (to: string | undefined) => string | Promise<string>;
  /** Reply to HELP. @default 'Reply STOP to stop receiving codes, START to receive them again.' */
  helpText?: string;
  /** Largest body accepted, before any signature is computed. @default '100kb' */
  bodyLimit?: string | number;
}

/**
 * The provider side of delivery: signed receipts in, `checkpoint.recordDelivery` out (which
 * drives fallback: `failed` escalates at once, `delivered` stops the timer), and carrier keywords
 * in, `checkpoint.optOut` out. Receipts arrive at least once and out of order: duplicates and
 * late ones change nothing (core's monotonic state machine), and an unknown message id is
 * acknowledged (200) so providers do not retry it for a day.
 *
 * Signatures are checked before anything is parsed or stored: a missing Twilio signature is 400,
 * a wrong one 403; a WhatsApp notification without a valid `X-Hub-Signature-256` over the raw
 * bytes is 401. Bodies over `bodyLimit` are 413 before any HMAC is computed.
 *
 * @example
 * app.use('/hooks', providerWebhooks(checkpoint, {
 *   publicUrl: 'https://app.example/hooks',
 *   twilio: { authToken: process.env.TWILIO_AUTH_TOKEN },
 *   whatsapp: { appSecret: process.env.META_APP_SECRET, verifyToken: process.env.META_VERIFY_TOKEN },
 * }));
 * // twilioSms({ …, statusCallbackUrl: 'https://app.example/hooks/twilio/status' })
 * @see SECURITY-NOTES §2.2–2.4; OWASP ASVS 5 V16.5.3
 */
export function providerWebhooks(checkpoint: Checkpoint, options: ProviderWebhooksOptions): Router {
  const {
    publicUrl,
    twilio,
    whatsapp,
    tenantFor = () => 'default',
    helpText = 'Reply STOP to stop receiving codes, START to receive them again.',
    bodyLimit = '100kb',
  } = options;
  if (typeof publicUrl !== 'string' || !URL.canParse(publicUrl)) {
    throw new TypeError(
      'providerWebhooks needs publicUrl: the absolute URL the router is mounted at, as providers call it',
    );
  }
  if (twilio !== undefined && (typeof twilio.authToken !== 'string' || twilio.authToken === '')) {
    throw new TypeError(
      'providerWebhooks: twilio.authToken is required to check X-Twilio-Signature',
    );
  }
  if (
    whatsapp !== undefined &&
    (typeof whatsapp.appSecret !== 'string' ||
      whatsapp.appSecret === '' ||
      typeof whatsapp.verifyToken !== 'string' ||
      whatsapp.verifyToken === '')
  ) {
    throw new TypeError(
      'providerWebhooks: whatsapp.appSecret and whatsapp.verifyToken are required',
    );
  }
  const base = publicUrl.replace(/\/+$/, '');
  const router = express.Router();

  if (twilio !== undefined) {
    const form = express.urlencoded({ extended: false, limit: bodyLimit, type: '*/*' });
    /** The signed form, or an answer already sent (400 / 403). */
    const signedForm = (req: Request, res: Response): Record<string, string> | undefined => {
      const signature = req.get('x-twilio-signature');
      if (signature === undefined || signature === '') {
        res.status(400).json({ error: 'invalid_request', message: 'missing X-Twilio-Signature' });
        return undefined;
      }
      const params = (req.body ?? {}) as Record<string, string>;
      const url = `${base}${req.url}`;
      if (!validateTwilioSignature({ authToken: twilio.authToken, url, params, signature })) {
        res.status(403).json({ error: 'forbidden', message: 'X-Twilio-Signature does not match' });
        return undefined;
      }
      return params;
    };

    router.post(
      '/twilio/status',
      form,
      handler(async (req, res) => {
        const params = signedForm(req, res);
        if (params === undefined) return;
        const receipt = parseTwilioStatus(params, {
          ...(twilio.channels === undefined
            ? {}
            : { channel: channelFor(params, twilio.channels) }),
        });
        // A status Checkpoint has no use for (queued, receiving, …): acknowledged, not recorded.
        if (receipt !== undefined) await checkpoint.recordDelivery(receipt);
        res.status(204).end();
      }),
    );

    router.post(
      '/twilio/inbound',
      form,
      handler(async (req, res) => {
        const params = signedForm(req, res);
        if (params === undefined) return;
        const inbound = parseTwilioInbound(params);
        res.type('text/xml');
        if (inbound.keyword === 'HELP') {
          res.send(
            `<?xml version="1.0" encoding="UTF-8"?><Response><Message>${xml(helpText)}</Message></Response>`,
          );
          return;
        }
        if (inbound.keyword === 'STOP' || inbound.keyword === 'START') {
          await checkpoint.optOut({
            to: inbound.from,
            tenantId: await tenantFor(inbound.to),
            optedOut: inbound.keyword === 'STOP',
            source: `twilio:${inbound.keyword}`,
          });
        }
        // STOP / START confirmations are the carrier's and Twilio's (Advanced Opt-Out): no reply here.
        res.send('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
      }),
    );
  }

  if (whatsapp !== undefined) {
    router.get('/whatsapp', (req, res) => {
      const challenge = whatsappVerifyHandshake({
        query: req.query,
        verifyToken: whatsapp.verifyToken,
      });
      if (challenge === undefined) {
        res.status(403).json({ error: 'forbidden', message: 'verify token does not match' });
        return;
      }
      res.type('text/plain').send(challenge);
    });

    router.post(
      '/whatsapp',
      express.raw({ type: '*/*', limit: bodyLimit }),
      handler(async (req, res) => {
        const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const header = req.get('x-hub-signature-256');
        if (!validateWhatsAppSignature({ appSecret: whatsapp.appSecret, rawBody, header })) {
          res
            .status(401)
            .json({ error: 'unauthorized', message: 'X-Hub-Signature-256 does not match' });
          return;
        }
        let payload: unknown;
        try {
          payload = JSON.parse(rawBody.toString('utf8'));
        } catch {
          res.status(400).json({ error: 'invalid_request', message: 'the body is not JSON' });
          return;
        }
        const receipts = parseWhatsAppStatuses(payload, {
          channel: whatsapp.channel ?? 'whatsapp',
        });
        for (const receipt of receipts) {
          await checkpoint.recordDelivery({
            channel: receipt.channel,
            providerMessageId: receipt.providerMessageId,
            status: receipt.status,
            ...(receipt.errorCode === undefined ? {} : { errorCode: receipt.errorCode }),
          });
        }
        // Meta retries anything but 200, for up to a day: acknowledge fast.
        res.status(200).json({ received: receipts.length });
      }),
    );
  }

  router.use((error: unknown, _req: Request, res: Response, next: (err?: unknown) => void) => {
    // A body-parser refusal or a malformed provider payload: a client error, never a 500.
    if (isCheckpointError(error)) return next(error);
    const status = (error as { status?: unknown }).status;
    if (status === 413) {
      res.status(413).json({ error: 'payload_too_large', message: 'body too large' });
      return;
    }
    next(error);
  });
  router.use(errorHandler());
  return router;
}

function channelFor(
  params: Record<string, string>,
  names: { sms?: string; voice?: string },
): string {
  return params.CallSid !== undefined && params.MessageSid === undefined
    ? (names.voice ?? 'voice')
    : (names.sms ?? 'sms');
}

function xml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
