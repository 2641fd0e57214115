import type { RequestContext, TenantConfig } from '@checkpoint/core';
import type { RequestHandler } from 'express';
import { handler } from '../../http/handler.js';
import { sendJson } from '../../http/sendJson.js';
import { LatencySampler } from '../LatencySampler.js';
import { parseSendBody } from '../parseBody.js';
import { type RequestBinding, requestFacts } from '../requestBinding.js';
import { type CountedWindow, countSend, windowsFor } from '../sendWindows.js';
import type { OtpSettings } from '../settings.js';

/**
 * @internal
 * `POST /send { to, purpose, channel? }` -> 202 `{ id, channel, expiresAt }`.
 *
 * With `resolveDestination`, both outcomes — a known account (a real send) and an unknown one
 * (a decoy) — read the tenant config, count the send on the router's per-IP windows and call
 * the resolver before they part; the decoy then counts per-identifier windows and waits as long
 * as a recent real send took.
 */
export function sendRoute(settings: OtpSettings): RequestHandler {
  const { checkpoint } = settings;
  return handler(async (req, res) => {
    const started = LatencySampler.now();
    const body = parseSendBody(req.body, {
      purposes: settings.purposes,
      channels: settings.channelSet,
    });
    const [binding, context] = await requestFacts(settings, req);
    const sendTo = (to: Parameters<typeof checkpoint.send>[0]['to']) =>
      checkpoint.send({
        to,
        purpose: body.purpose,
        ...bound(binding),
        ...(body.channel === undefined ? {} : { channels: [body.channel] }),
        ...settings.requestOrigin?.of(req),
        context,
      });

    let result: { id: string; channel: string; expiresAt: number };
    if (settings.resolveDestination === undefined || settings.decoys === undefined) {
      result = await sendTo(body.to);
    } else {
      const config = await checkpoint.config(binding.tenantId);
      await countSend(checkpoint, ipWindows(settings, context, config), sendRefusal);
      const destination = await settings.resolveDestination(req, body);
      if (destination === undefined) {
        result = await settings.decoys.send({
          binding: binding.decoy,
          identifier: body.to,
          channel: decoyChannel(settings, binding, config, body.channel),
          config,
        });
        await settings.sendLatency.pad(started);
      } else {
        result = await sendTo(destination);
        settings.sendLatency.record(started);
        settings.lastChannel.set(binding.decoy.tenantId, result.channel);
      }
    }
    sendJson(res, 202, { id: result.id, channel: result.channel, expiresAt: result.expiresAt });
  });
}

/** @internal Core's words for a send over a velocity cap. */
export function sendRefusal(reason: string, retryAfter: number): string {
  return `too many codes requested (${reason}); retry in ${retryAfter} s`;
}

/** @internal The tenant and subject to pass to core, when the router binds them. */
export function bound(binding: RequestBinding): { tenantId?: string; subject?: string } {
  return {
    ...(binding.tenantId === undefined ? {} : { tenantId: binding.tenantId }),
    ...(binding.subject === undefined ? {} : { subject: binding.subject }),
  };
}

/**
 * @internal
 * The router's own per-IP send windows (the tenant's `velocity.ip`), counted for known and
 * unknown accounts alike: core's per-IP counter sees only real sends, so without this an
 * enumeration run would find the known accounts by where the 429s start.
 */
export function ipWindows(
  settings: OtpSettings,
  context: RequestContext,
  config: TenantConfig,
): CountedWindow[] {
  if (context.ip === undefined) return [];
  return windowsFor(settings.keys.counterKey('sv', context.ip), config.velocity.ip, 'velocity:ip');
}

/**
 * @internal
 * The channel a decoy reports: the one asked for, else the router's first `channels`, else the
 * tenant's first channel, else the channel of this tenant's last real send, else `sms`.
 */
export function decoyChannel(
  settings: OtpSettings,
  binding: RequestBinding,
  config: TenantConfig,
  requested: string | undefined,
): string {
  return (
    requested ??
    settings.channels?.[0] ??
    config.channels?.[0] ??
    settings.lastChannel.get(binding.decoy.tenantId) ??
    'sms'
  );
}
