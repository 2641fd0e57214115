import { evaluate } from '@checkpoint/policy';
import type { Router } from 'express';
import { handler } from '../../http/handler.js';
import type { StepUpHost } from '../StepUpHost.js';

/**
 * @internal
 * `GET /:checkpoint`: what a checkpoint needs for this user now, the methods this app offers for
 * it, and the action waiting for it (`approving`), for the step-up page to show.
 */
export function statusRoute(router: Router, host: StepUpHost): void {
  router.get(
    '/:checkpoint',
    handler(async (req, res) => {
      const { state, name, tenant, resolved } = await host.target(req);
      const result = evaluate(resolved, state, tenant, host.now());
      const pending = await host.grants.pending(state.sessionKey, name);
      res.json({
        checkpoint: name,
        satisfied: result.satisfied && pending === undefined,
        aal: result.satisfied ? result.aal : result.currentAal,
        requiredAal: resolved.aal,
        methods: host.offered(result.satisfied ? resolved.methods : result.methods),
        maxAge: resolved.maxAgeSeconds,
        ...(pending?.summary === undefined ? {} : { approving: pending.summary }),
      });
    }),
  );

  /**
   * `POST /:checkpoint/begin`: fixes the action a step-up by authenticator app or recovery code
   * will approve — the one pending now, which the answer names — before the user types the code.
   * Send the answer's `attempt` with the code. (A code by message and a passkey fix it when they
   * start: the message and the challenge carry it.)
   */
  router.post(
    '/:checkpoint/begin',
    handler(async (req, res) => {
      const { state, name } = await host.target(req);
      const { id, attempt } = await host.begin(state, name);
      res.status(201).json({
        attempt: id,
        ...(attempt.action?.summary === undefined ? {} : { approving: attempt.action.summary }),
      });
    }),
  );
}
