import { CheckpointError } from '@checkpoint/core';
import { evaluate } from '@checkpoint/policy';
import { type Sso, stepUpAtIdp } from '@checkpoint/oidc';
import type { Router } from 'express';
import { handler } from '../../http/handler.js';
import { safeReturnTo } from '../safeReturnTo.js';
import { saveSession, writeState } from '../session.js';
import type { StepUpHost } from '../StepUpHost.js';

/**
 * @internal
 * SSO step-up: `GET /:checkpoint/sso` sends the browser to the IdP the session signed in with,
 * demanding the acr values the tenant trusts for this checkpoint and its max age (RFC 9470 /
 * OIDC `acr_values`, `max_age`, an essential acr claim where the IdP takes one) — the action
 * waiting for the step-up is fixed now, with the transaction — and `GET /sso/callback` checks
 * the IdP's answer, records the sso factor and grants that action. JSON clients get `{ url }`.
 */
export function ssoRoutes(router: Router, host: StepUpHost): void {
  router.get(
    '/:checkpoint/sso',
    handler(async (req, res) => {
      const { state, name, tenant, resolved } = await host.target(req);
      const idps = ssoOf(host.sso);
      const issuer = [...state.factors].reverse().find((f) => f.method === 'sso')?.source;
      if (issuer === undefined) {
        throw new CheckpointError('not_found', 'this session did not sign in through an IdP');
      }
      const evaluation = evaluate(resolved, state, tenant, host.now());
      const demand = stepUpAtIdp({ evaluation, tenant, issuer, checkpoint: resolved });
      if (demand === undefined) {
        throw new CheckpointError(
          'not_found',
          evaluation.satisfied
            ? `${name} is already satisfied`
            : `the IdP cannot step ${name} up for this tenant: use another method`,
        );
      }
      const returnTo = typeof req.query.returnTo === 'string' ? req.query.returnTo : undefined;
      const started = await idps.start({
        tenantId: state.tenantId,
        stepUp: demand,
        returnTo: safeReturnTo(returnTo),
      });
      await host.begin(state, name, `sso:${started.transaction}`);
      writeState(req, { ...state, sso: { transaction: started.transaction, checkpoint: name } });
      await saveSession(req);
      if (req.accepts(['json', 'html']) === 'html') res.redirect(303, started.url.href);
      else res.json({ url: started.url.href });
    }),
  );

  router.get(
    '/sso/callback',
    handler(async (req, res) => {
      const state = host.signedIn(req);
      const { sso: pending, ...withoutTransaction } = state;
      // The transaction is single-use whatever happens next.
      writeState(req, withoutTransaction);
      await saveSession(req);
      const result = await ssoOf(host.sso).callback({
        tenantId: state.tenantId,
        currentUrl: req.originalUrl,
        transaction: pending?.transaction,
      });
      const userId = await host.ssoUserId(result.subject, req);
      if (userId !== state.userId) {
        throw new CheckpointError(
          'authentication_failed',
          'the IdP signed in another user than this session’s',
          { reasons: ['oidc:subject_mismatch'] },
        );
      }
      const name = pending?.checkpoint ?? 'login';
      const attempt =
        pending === undefined
          ? undefined
          : await host.grants.finish(`sso:${pending.transaction}`, state.sessionKey, name);
      const tenant = await host.tenantPolicy(req);
      const outcome = await host.stepUpWith(req, name, result.factor, tenant, attempt);
      const returnTo = safeReturnTo(result.returnTo);
      if (req.accepts(['json', 'html']) === 'html') res.redirect(303, returnTo);
      else res.json({ status: 'approved', ...outcome, returnTo });
    }),
  );
}

function ssoOf(sso: Sso | undefined): Sso {
  if (sso === undefined) throw new CheckpointError('not_found', 'SSO is not configured here');
  return sso;
}
