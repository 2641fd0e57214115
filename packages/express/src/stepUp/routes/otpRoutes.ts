import { CheckpointError } from '@checkpoint/core';
import { factor, otpMethodOf } from '@checkpoint/policy';
import type { Router } from 'express';
import { clientContext } from '../../context/clientContext.js';
import { handler } from '../../http/handler.js';
import { safeReturnTo } from '../safeReturnTo.js';
import type { StepUpHost } from '../StepUpHost.js';
import { bodyOf } from './body.js';
import { channelMethod } from '../methods.js';

/**
 * @internal
 * Step-up with a code by message: `POST /:checkpoint/otp/start` `{ channel? }` sends a code to
 * the signed-in user — its message names the action waiting for the step-up, fixed now — and
 * `POST /:checkpoint/otp/verify` `{ id, code, returnTo? }` checks it. Only channels whose medium
 * the checkpoint accepts are used: a checkpoint no code can meet (a passkey-only AAL3 one) sends
 * nothing.
 */
export function otpRoutes(router: Router, host: StepUpHost): void {
  router.post(
    '/:checkpoint/otp/start',
    handler(async (req, res) => {
      const { state, name, resolved } = await host.target(req);
      const accepted = new Set<string>(host.offered(resolved.methods));
      const usable = host.checkpoint.channels.filter((channel) =>
        accepted.has(channelMethod(channel.medium)),
      );
      if (usable.length === 0) {
        throw new CheckpointError(
          'invalid_request',
          `${name} cannot be met with a code: use ${[...accepted].join(', ') || 'another method'}`,
        );
      }
      const asked = bodyOf(req.body).channel;
      if (asked !== undefined && !usable.some((channel) => channel.name === asked)) {
        throw new CheckpointError(
          'invalid_request',
          `channel must be one of ${usable.map((channel) => channel.name).join(', ')} for ${name}`,
        );
      }
      const to = await host.destination(req, state.userId);
      if (to === undefined) {
        throw new CheckpointError(
          'channel_unavailable',
          'this account has no destination for step-up codes',
        );
      }
      // The action is read once, here: the message names it and the grant will be for it alone.
      const action = await host.grants.pending(state.sessionKey, name);
      const tenant = host.tenantId(req);
      const sent = await host.checkpoint.send({
        to,
        purpose: name,
        subject: state.userId,
        context: clientContext(req),
        channels: typeof asked === 'string' ? [asked] : usable.map((channel) => channel.name),
        ...(tenant === undefined ? {} : { tenantId: tenant }),
        ...(action?.summary === undefined ? {} : { approving: action.summary }),
      });
      await host.grants.begin(
        {
          sessionKey: state.sessionKey,
          userId: state.userId,
          checkpoint: name,
          ...(action === undefined ? {} : { action }),
        },
        sent.id,
      );
      res.status(202).json({
        id: sent.id,
        channel: sent.channel,
        expiresAt: sent.expiresAt,
        ...(action?.summary === undefined ? {} : { approving: action.summary }),
      });
    }),
  );

  router.post(
    '/:checkpoint/otp/verify',
    handler(async (req, res) => {
      const { state, name, tenant } = await host.target(req);
      const body = bodyOf(req.body);
      const tenantCore = host.tenantId(req);
      const result = await host.checkpoint.check({
        id: body.id as string,
        code: body.code as string,
        purpose: name,
        subject: state.userId,
        context: clientContext(req),
        ...(tenantCore === undefined ? {} : { tenantId: tenantCore }),
      });
      if (result.status !== 'approved') {
        res.json({ status: result.status, remainingAttempts: result.remainingAttempts });
        return;
      }
      const attempt = await host.grants.finish(body.id, state.sessionKey, name);
      const verification = await host.checkpoint.get(body.id as string);
      // Every code sent stays valid: the weakest medium that carried one is what was proved.
      const proved = factor(otpMethodOf(result.media), {
        at: host.now(),
        codeLength: verification.codeLength,
        source: result.channel,
      });
      const outcome = await host.stepUpWith(req, name, proved, tenant, attempt);
      res.json({ status: 'approved', ...outcome, returnTo: safeReturnTo(body.returnTo) });
    }),
  );
}
