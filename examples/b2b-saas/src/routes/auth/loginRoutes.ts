import { isCheckpointError } from '@checkpoint/core';
import { safeReturnTo } from '@checkpoint/express';
import {
  beginSecondFactor,
  completeLogin,
  type OtpFailureInfo,
  requestContext,
} from '@checkpoint/passport';
import express, { type Request, type Response, type Router } from 'express';
import { type DemoContext, render } from '../../DemoContext.js';
import type { User } from '../../data/Users.js';
import { authenticate, field } from '../../http/authenticate.js';
import { html } from '../../http/html.js';
import { newFlow, otpForm } from '../otpFlow.js';

/** The first tenant a user belongs to: where a password or passkey login lands. */
export function homeTenant(user: User): string {
  return Object.keys(user.memberships)[0] ?? 'default';
}

const FAILURES: Record<string, string> = {
  failed: 'That code is not right.',
  expired: 'That code expired. Log in again for a new one.',
  max_attempts: 'Too many wrong codes. Log in again for a new one.',
  not_found: 'That code is no longer valid. Log in again.',
  no_pending_login: 'Your login timed out. Start again.',
  missing_credentials: 'Enter the code.',
  invalid_request: 'A code is digits only.',
};

/** Password + one-time code, passkey sign-in, and the code step other logins share. */
export function loginRoutes(ctx: DemoContext): Router {
  const router = express.Router();

  const loginPage = (req: Request, res: Response, error?: string, status = 200): void => {
    const returnTo = safeReturnTo(req.query['returnTo'] ?? field(req.body, 'returnTo'));
    const tenants = [...ctx.tenants.values()];
    render(ctx, req, res, {
      title: 'Log in',
      status,
      scripts: ['passkey-login.js'],
      body: html`${error === undefined ? '' : html`<p class="error" role="alert">${error}</p>`}
<div class="columns">
<form method="post" action="/login" class="card">
  <h2>Password and a code</h2>
  <input type="hidden" name="returnTo" value="${returnTo}">
  <label>Email <input name="email" type="email" autocomplete="username" required></label>
  <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
  <button type="submit">Continue</button>
  <p class="hint"><a href="/reset">Forgot your password?</a></p>
</form>
<div class="card">
  <h2>Passwordless</h2>
  <p>A passkey on this device: phishing-resistant, AAL3 when it is device-bound.</p>
  <label>Workspace <select id="passkey-tenant">${tenants.map(
    (tenant) => html`<option value="${tenant.id}">${tenant.name}</option>`,
  )}</select></label>
  <button type="button" id="passkey-login" data-return-to="${returnTo}">Sign in with a passkey</button>
  <p class="error" id="passkey-error" role="alert" hidden></p>
  <h2>Single sign-on</h2>
  ${tenants.map(
    (tenant) =>
      html`<p><a class="button" href="/sso/login?tenant=${tenant.id}&amp;returnTo=${encodeURIComponent(returnTo)}">SSO for ${tenant.name}</a><br><span class="hint">${tenant.ssoNote}</span></p>`,
  )}
</div>
</div>`,
    });
  };

  router.get('/login', (req, res) => loginPage(req, res));

  // Factor 1: the password. It signs nobody in; it marks the session half-done and sends a code.
  router.post('/login', async (req, res) => {
    const returnTo = safeReturnTo(field(req.body, 'returnTo', 2_048));
    const { user } = await authenticate(ctx.auth, 'local', req, res, { session: false });
    if (!user) {
      loginPage(req, res, 'Wrong email or password.', 401);
      return;
    }
    const account = user as User;
    const tenantId = homeTenant(account);
    await beginSecondFactor(req, { userId: account.id, tenantId });
    try {
      const sent = await ctx.checkpoint.send({
        to: account.phone,
        purpose: 'login',
        subject: account.id,
        tenantId,
        context: requestContext(req),
      });
      req.session.flow = newFlow({
        kind: 'login',
        verificationId: sent.id,
        to: account.phone,
        channel: sent.channel,
        tenantId,
        userId: account.id,
        returnTo,
        now: ctx.now(),
      });
      res.redirect(303, '/login/otp');
    } catch (error) {
      if (!isCheckpointError(error)) throw error;
      loginPage(req, res, `No code could be sent (${error.code}). Try again later.`, error.status);
    }
  });

  router.get('/login/otp', (req, res) => {
    const flow = req.session.flow;
    if (flow?.kind !== 'login') return res.redirect(303, '/login');
    render(ctx, req, res, {
      title: 'Enter your code',
      scripts: ['otp.js'],
      body: html`${flow.notice === undefined ? '' : html`<p>${flow.notice}</p>`}${otpForm(flow)}`,
    });
  });

  // Factor 2: the code, bound to the user who passed factor 1 (OtpStrategy `subject`).
  router.post('/login/otp', async (req, res) => {
    const flow = req.session.flow;
    if (flow?.kind !== 'login') return res.redirect(303, '/login');
    const outcome = await authenticate(ctx.auth, 'otp-2fa', req, res);
    if (!outcome.user) {
      const info = outcome.info as OtpFailureInfo;
      const left =
        info.status === 'failed' && info.remainingAttempts !== undefined
          ? ` ${info.remainingAttempts} attempts left.`
          : '';
      render(ctx, req, res, {
        title: 'Enter your code',
        status: outcome.status ?? 401,
        scripts: ['otp.js'],
        body: otpForm(flow, '', `${FAILURES[info.status] ?? 'Not accepted.'}${left}`),
      });
      return;
    }
    const tenant = ctx.tenants.get(flow.tenantId);
    const returnTo = safeReturnTo(flow.returnTo);
    const result = await completeLogin(req, {
      user: outcome.user,
      info: outcome.info,
      tenantId: flow.tenantId,
      ...(tenant === undefined ? {} : { tenant: tenant.policy }),
    });
    if (!result.authenticated) {
      render(ctx, req, res, {
        title: 'More is needed',
        status: 401,
        body: html`<p>This login needs one of: ${result.needed.methods.join(', ')}.</p>`,
      });
      return;
    }
    res.redirect(303, returnTo);
  });

  // Passwordless: a passkey alone (discoverable credential), judged by the login checkpoint.
  // The challenge is issued for the workspace the login names, and only answers for it.
  router.post('/login/passkey/options', async (req, res) => {
    const tenantId = field(req.body, 'tenant', 40);
    if (!ctx.tenants.has(tenantId)) {
      res.status(400).json({ error: 'invalid_request', message: 'name a workspace' });
      return;
    }
    res.json(await ctx.webauthn.authenticationOptions({ tenantId }));
  });

  router.post('/login/passkey', async (req, res) => {
    const outcome = await authenticate(ctx.auth, 'checkpoint-webauthn', req, res);
    if (!outcome.user) {
      res.status(outcome.status ?? 401).json(outcome.info);
      return;
    }
    const user = outcome.user as User;
    const info = outcome.info as { tenantId?: string };
    const tenantId = info.tenantId ?? homeTenant(user);
    const tenant = ctx.tenants.get(tenantId);
    if (user.memberships[tenantId] === undefined) {
      res.status(403).json({ error: 'forbidden', message: 'not a member of that workspace' });
      return;
    }
    const result = await completeLogin(req, {
      user,
      info: outcome.info,
      tenantId,
      ...(tenant === undefined ? {} : { tenant: tenant.policy }),
    });
    res.status(result.authenticated ? 200 : 401).json({
      authenticated: result.authenticated,
      returnTo: safeReturnTo(field(req.body, 'returnTo', 2_048)),
    });
  });

  router.post('/logout', (req, res, next) => {
    req.session.destroy((error?: unknown) => {
      if (error !== undefined && error !== null) return next(error);
      res.clearCookie('acme.sid');
      res.redirect(303, '/');
    });
  });

  return router;
}
