import { CheckpointError } from '@checkpoint/core';
import type { Router } from 'express';
import { handler } from '../http/handler.js';
import type { FactorHost } from './FactorHost.js';
import { safeReturnTo } from './safeReturnTo.js';

/**
 * @internal
 * Step-up with an authenticator app or a recovery code: `POST /:checkpoint/totp/verify` and
 * `POST /:checkpoint/recovery-code/verify`, `{ code, returnTo? }`. An approved code is recorded as
 * a factor (a new session id when assurance rises); whether it satisfies the checkpoint is the
 * policy's (a recovery code never satisfies an AAL3 one). A wrong code is 200 `failed`.
 */
export function factorChecks(router: Router, host: FactorHost): void {
  router.post(
    '/:checkpoint/totp/verify',
    handler(async (req, res) => {
      const { state, name, tenant } = await host.target(req);
      const body = bodyOf(req.body);
      const owner = { tenantId: state.tenantId, userId: state.userId };
      const result = await host.factors.totp.verify({ owner, code: codeOf(body) });
      if (result.status !== 'approved') {
        res.json({ status: result.status });
        return;
      }
      const at = host.now();
      const satisfied = await host.stepUpWith(req, name, { ...result.factor, at }, tenant, at);
      res.json({ status: 'approved', satisfied, returnTo: safeReturnTo(body.returnTo) });
    }),
  );

  router.post(
    '/:checkpoint/recovery-code/verify',
    handler(async (req, res) => {
      const { state, name, tenant } = await host.target(req);
      const body = bodyOf(req.body);
      const owner = { tenantId: state.tenantId, userId: state.userId };
      const result = await host.factors.recoveryCodes.use({ owner, code: codeOf(body) });
      if (result.status !== 'approved') {
        res.json({ status: result.status });
        return;
      }
      // NIST SP 800-63B rev 4 §4.2: using a recovery code is always announced.
      await host.announce(
        req,
        state.userId,
        'a recovery code',
        `A recovery code was used (${result.remaining} left)`,
      );
      const at = host.now();
      const satisfied = await host.stepUpWith(req, name, { ...result.factor, at }, tenant, at);
      res.json({
        status: 'approved',
        satisfied,
        remaining: result.remaining,
        returnTo: safeReturnTo(body.returnTo),
      });
    }),
  );
}

/** @internal The JSON body as a record (anything else reads as empty). */
export function bodyOf(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : {};
}

/** @internal `body.code`: a string of at most 32 characters, else 400. */
export function codeOf(body: Record<string, unknown>): string {
  const { code } = body;
  if (typeof code !== 'string' || code === '' || code.length > 32) {
    throw new CheckpointError('invalid_request', 'code must be a string of 1-32 characters');
  }
  return code;
}
