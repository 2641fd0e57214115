import { type CheckInput, type CheckStatus, isCheckpointError } from '@checkpoint/core';
import type { RequestHandler } from 'express';
import { handler } from '../../http/handler.js';
import { sendJson } from '../../http/sendJson.js';
import { parseCheckBody } from '../parseBody.js';
import { requestFacts } from '../requestBinding.js';
import type { OtpSettings } from '../settings.js';
import { bound } from './sendRoute.js';

/**
 * @internal
 * `POST /check { id, code }` -> 200 `{ status, remainingAttempts }`; a wrong code is 200 `failed`.
 *
 * A client this process knows to be over a failed-check limit gets 429 before core is called.
 * Otherwise the per-IP and per-subject counters go to core as the check's `limits`: a unit is
 * taken from each before the code is compared (429 when one is full) and given back when it
 * approves, in the check's one store step. A malformed code never reaches the store; it is counted
 * here.
 */
export function checkRoute(settings: OtpSettings): RequestHandler {
  const { checkpoint, limiter, clock } = settings;
  return handler(async (req, res) => {
    const [binding, context] = await requestFacts(settings, req);
    const limits = limiter.keysFor({
      ip: context.ip,
      tenantId: binding.decoy.tenantId,
      subject: binding.user,
    });
    limiter.assertOpen(limits, clock.now());

    let id: string;
    let outcome: { status: CheckStatus; remainingAttempts: number };
    try {
      const body = parseCheckBody(req.body);
      id = body.id;
      const input: CheckInput = {
        id,
        code: body.code,
        ...bound(binding),
        ...(binding.purpose === undefined ? {} : { purpose: binding.purpose }),
        context,
        limits: limiter.checkLimits(limits),
      };
      const decoy = settings.decoys?.read(id, binding.decoy);
      outcome =
        decoy === undefined || settings.decoys === undefined
          ? await checkpoint.check(input)
          : await settings.decoys.check(decoy, input);
    } catch (error) {
      if (isCheckpointError(error)) {
        // A malformed code spends no attempt in core, but it is still a guess at this layer.
        if (error.code === 'invalid_request') await limiter.recordFailure(limits, clock.now());
        limiter.refused(error, limits, clock.now());
      }
      throw error;
    }
    if (outcome.status === 'approved' && settings.onApproved !== undefined) {
      await settings.onApproved(req, await checkpoint.get(id));
    }
    sendJson(res, 200, { status: outcome.status, remainingAttempts: outcome.remainingAttempts });
  });
}
