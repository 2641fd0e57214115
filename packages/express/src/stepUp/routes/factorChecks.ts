import type { Factors } from '@checkpoint/factors';
import type { Router } from 'express';
import { handler } from '../../http/handler.js';
import { safeReturnTo } from '../safeReturnTo.js';
import type { StepUpHost } from '../StepUpHost.js';
import { bodyOf, codeOf } from './body.js';

/**
 * @internal
 * Step-up with an authenticator app or a recovery code: `POST /:checkpoint/totp/verify` and
 * `POST /:checkpoint/recovery-code/verify`, `{ code, attempt?, returnTo? }`. An approved code is
 * recorded as a factor (a new session id); whether it satisfies the checkpoint is the policy's
 * (a recovery code never satisfies an AAL3 one). A bound action is granted only when `attempt`
 * — from `POST /:checkpoint/begin`, which fixed the action the page showed — names it. A wrong
 * code is 200 `failed`.
 */
export function factorChecks(router: Router, host: StepUpHost, factors: Factors): void {
  router.post(
    '/:checkpoint/totp/verify',
    handler(async (req, res) => {
      const { state, name, tenant } = await host.target(req);
      const body = bodyOf(req.body);
      const owner = { tenantId: state.tenantId, userId: state.userId };
      const result = await factors.totp.verify({ owner, code: codeOf(body) });
      if (result.status !== 'approved') {
        res.json({ status: result.status });
        return;
      }
      const attempt = await host.grants.finish(body.attempt, state.sessionKey, name);
      const at = host.now();
      const outcome = await host.stepUpWith(req, name, { ...result.factor, at }, tenant, attempt);
      res.json({ status: 'approved', ...outcome, returnTo: safeReturnTo(body.returnTo) });
    }),
  );

  router.post(
    '/:checkpoint/recovery-code/verify',
    handler(async (req, res) => {
      const { state, name, tenant } = await host.target(req);
      const body = bodyOf(req.body);
      const owner = { tenantId: state.tenantId, userId: state.userId };
      const result = await factors.recoveryCodes.use({ owner, code: codeOf(body) });
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
      const attempt = await host.grants.finish(body.attempt, state.sessionKey, name);
      const at = host.now();
      const outcome = await host.stepUpWith(req, name, { ...result.factor, at }, tenant, attempt);
      res.json({
        status: 'approved',
        ...outcome,
        remaining: result.remaining,
        returnTo: safeReturnTo(body.returnTo),
      });
    }),
  );
}
