import { isCheckpointError } from '@checkpoint/core';
import { safeReturnTo } from '@checkpoint/express';
import { completeLogin, requestContext } from '@checkpoint/passport';
import express, { type Router } from 'express';
import { type DemoContext, render } from '../../DemoContext.js';
import { html } from '../../http/html.js';
import { newFlow } from '../otpFlow.js';

/**
 * SSO login at the demo IdP (panva's oidc-provider, in process). The IdP's acr/amr/auth_time
 * become an `sso` factor; `completeLogin` judges it under the tenant's policy: Acme trusts the
 * IdP's MFA (signed in), Globex counts the IdP login as a password and asks for a code.
 */
export function ssoRoutes(ctx: DemoContext): Router {
  const router = express.Router();

  router.get('/sso/login', async (req, res) => {
    const tenantId = typeof req.query['tenant'] === 'string' ? req.query['tenant'] : '';
    if (!ctx.tenants.has(tenantId)) return res.redirect(303, '/login');
    const returnTo = safeReturnTo(req.query['returnTo']);
    const { url, transaction } = await ctx.sso.start({ tenantId, returnTo });
    req.session.ssoLogin = { transaction, tenantId };
    res.redirect(303, url.href);
  });

  router.get('/sso/callback', async (req, res) => {
    const pending = req.session.ssoLogin;
    delete req.session.ssoLogin; // single use, whatever happens next
    const tenantId = pending?.tenantId ?? '';
    const tenant = ctx.tenants.get(tenantId);
    let result;
    try {
      result = await ctx.sso.callback({
        tenantId,
        currentUrl: req.originalUrl,
        transaction: pending?.transaction,
      });
    } catch (error) {
      if (!isCheckpointError(error)) throw error;
      render(ctx, req, res, {
        title: 'Single sign-on failed',
        status: error.status,
        body: html`<p class="error" role="alert">The IdP’s answer was refused (${error.reasons.join(', ') || error.code}).</p><p><a href="/login">Back to log in</a></p>`,
      });
      return;
    }
    const user = ctx.users.bySsoKey(result.subject.key);
    if (user === undefined || tenant === undefined || user.memberships[tenantId] === undefined) {
      render(ctx, req, res, {
        title: 'No access',
        status: 403,
        body: html`<p>This IdP account is not a member of that workspace.</p>`,
      });
      return;
    }
    const returnTo = safeReturnTo(result.returnTo);
    const login = await completeLogin(req, {
      user,
      tenantId,
      tenant: tenant.policy,
      factors: [result.factor],
    });
    if (login.authenticated) return res.redirect(303, returnTo);

    // Not enough for this tenant: the IdP login waits in the session, a code completes it.
    const sent = await ctx.checkpoint.send({
      to: user.phone,
      purpose: 'login',
      subject: user.id,
      tenantId,
      context: requestContext(req),
    });
    req.session.flow = newFlow({
      kind: 'login',
      verificationId: sent.id,
      to: user.phone,
      channel: sent.channel,
      tenantId,
      userId: user.id,
      returnTo,
      now: ctx.now(),
      notice: `${tenant.name} does not accept the IdP’s own MFA: enter the code we sent to finish signing in.`,
    });
    res.redirect(303, '/login/otp');
  });

  return router;
}
