import type { RequestHandler } from 'express';
import { handler } from '../../http/handler.js';
import { sendJson } from '../../http/sendJson.js';
import { LatencySampler } from '../LatencySampler.js';
import { parseIdParam, parseResendBody } from '../parseBody.js';
import { requestFacts } from '../requestBinding.js';
import { countSend } from '../sendWindows.js';
import type { OtpSettings } from '../settings.js';
import { assertBound } from './assertBound.js';
import { decoyChannel, ipWindows } from './sendRoute.js';

/** @internal `POST /:id/resend { channel? }` -> 202 `{ id, channel, expiresAt }`. */
export function resendRoute(settings: OtpSettings): RequestHandler {
  const { checkpoint } = settings;
  return handler(async (req, res) => {
    const started = LatencySampler.now();
    const id = parseIdParam(req.params['id']);
    const { channel } = parseResendBody(req.body, settings.channelSet);
    const [binding, context] = await requestFacts(settings, req);
    let result: { id: string; channel: string; expiresAt: number };
    if (settings.decoys === undefined) {
      await assertBound(settings, id, binding, 'no pending verification with this id');
      result = await checkpoint.resend(id, {
        ...(channel === undefined ? {} : { channel }),
        ...settings.requestOrigin?.of(req),
        context,
      });
    } else {
      // As for /send: the router's per-IP windows count resends of real and decoy ids alike.
      const config = await checkpoint.config(binding.tenantId);
      await countSend(
        checkpoint,
        ipWindows(settings, context, config),
        (reason) => `too many codes requested (${reason})`,
      );
      const decoy = settings.decoys.read(id, binding.decoy);
      if (decoy !== undefined) {
        result = await settings.decoys.resend(decoy, {
          channel: decoyChannel(settings, binding, config, channel),
          config,
        });
        await settings.resendLatency.pad(started);
      } else {
        await assertBound(settings, id, binding, 'no pending verification with this id');
        result = await checkpoint.resend(id, {
          ...(channel === undefined ? {} : { channel }),
          ...settings.requestOrigin?.of(req),
          context,
        });
        settings.resendLatency.record(started);
      }
    }
    sendJson(res, 202, { id: result.id, channel: result.channel, expiresAt: result.expiresAt });
  });
}
