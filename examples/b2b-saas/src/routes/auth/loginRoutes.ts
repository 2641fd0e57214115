import { isCheckpointError } from '@checkpoint/core';
import { safeReturnTo } from '@checkpoint/express';
import {
  beginSecondFactor,
  completeLogin,
  type FactorCodeSuccessInfo,
  type OtpFailureInfo,
  passwordFactor,
  requestContext,
} from '@checkpoint/passport';
import express, { type Request, type Response, type Router } from 'express';
import { type DemoContext, render } from '../../DemoContext.js';
import type { User } from '../../data/Users.js';
import { authenticate, field, type Outcome } from '../../http/authenticate.js';
import { html } from '../../http/html.js';
import type { OtpFlow } from '../../http/session.js';
import { announceRecoveryCodeLogin, browserLabel } from '../../infra/factorNotices.js';
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

/** Why an authenticator-app or recovery code was refused (TotpStrategy, RecoveryCodeStrategy). */
const FACTOR_FAILURES: Record<string, string> = {
  failed: 'That code is not right, or it was already used.',
  not_enrolled: 'No authenticator app is set up for this account.',
  missing_credentials: 'Enter the code.',
  invalid_request: 'That is not a code.',
  no_pending_login: 'Your login timed out. Start again.',
};

/** Which second-factor form a failure belongs to. */
type SecondFactor = 'sms' | 'totp' | 'recovery';

/** The date a remembered browser stops skipping the code, for pages. */
function day(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

/**
 * Password + a second factor (a code by SMS, the user's authenticator app or a recovery code; a
 * remembered browser skips it), passkey sign-in, and the code step other logins share.
 */
export function loginRoutes(ctx: DemoContext): Router {
  const router = express.Router();

  /**
   * The second-factor page: the authenticator app first when the user has one (an app code costs
   * no SMS and is not a restricted authenticator), the texted code, a recovery code when some are
   * left, and "Remember this browser" after a password login when the tenant allows it.
   */
  const secondFactorPage = async (
    req: Request,
    res: Response,
    flow: OtpFlow,
    failure?: { form: SecondFactor; message: string; status: number },
  ): Promise<void> => {
    const owner = { tenantId: flow.tenantId, userId: flow.userId ?? '' };
    const known = flow.userId !== undefined;
    const [totp, codes, config] = await Promise.all([
      known ? ctx.factors.totp.status(owner) : undefined,
      known ? ctx.factors.recoveryCodes.status(owner) : null,
      flow.offerRemember === true ? ctx.checkpoint.config(flow.tenantId) : undefined,
    ]);
    const days = config?.rememberDeviceDays ?? 0;
    const remember =
      days > 0
        ? html`<label class="check"><input type="checkbox" name="remember" value="1"> Remember this browser for ${days} days</label>`
        : '';
    const problem = (form: SecondFactor) =>
      failure?.form === form ? html`<p class="error" role="alert">${failure.message}</p>` : '';
    const remaining = codes?.remaining ?? 0;
    render(ctx, req, res, {
      title: 'Second factor',
      status: failure?.status ?? 200,
      scripts: ['otp.js'],
      body: html`${flow.notice === undefined ? '' : html`<p>${flow.notice}</p>`}
${
  totp?.enrolled === true
    ? html`<form method="post" action="/login/totp" class="card" id="totp-login">
  <h2>Use your authenticator app</h2>
  ${problem('totp')}
  <label>Code from the app <input name="code" autocomplete="one-time-code" inputmode="numeric"
    pattern="[0-9]{6,8}" maxlength="8" required></label>
  ${remember}
  <button type="submit">Verify</button>
</form>`
    : ''
}
${
  flow.verificationId === undefined
    ? html`<form method="post" action="/login/otp/send" class="card" id="sms-send">
  <h2>Or a code by text message</h2>
  <p>No app at hand? We can text a code to <strong>${flow.sentTo}</strong>.</p>
  <button type="submit">Text me a code instead</button>
</form>`
    : html`${totp?.enrolled === true ? html`<h2>Or the code we texted you</h2>` : ''}${otpForm(flow, remember, failure?.form === 'sms' ? failure.message : undefined)}`
}
${
  remaining > 0
    ? html`<form method="post" action="/login/recovery-code" class="card" id="recovery-login">
  <h2>Use a recovery code</h2>
  <p class="hint">Lost your phone? Each of your ${remaining} saved recovery codes works once.</p>
  ${problem('recovery')}
  <label>Recovery code <input name="code" autocomplete="off" autocapitalize="off"
    spellcheck="false" maxlength="32" required></label>
  ${remember}
  <button type="submit">Use this recovery code</button>
</form>`
    : ''
}`,
    });
  };

  /** Sets the signed device cookie after a second factor, when the user ticked the box. */
  const rememberBrowser = async (
    req: Request,
    res: Response,
    owner: { tenantId: string; userId: string },
  ): Promise<void> => {
    const remembered = await ctx.factors.devices.remember({
      owner,
      label: browserLabel(req.get('user-agent')),
    });
    if (remembered === undefined) return; // the tenant turned it off meanwhile
    const { cookie, device } = remembered;
    res.cookie(cookie.name, cookie.value, cookie.options);
    req.session.flash = `This browser is remembered until ${day(device.expiresAt)}: your password alone signs you in here. Step-ups still ask for a second factor.`;
  };

  /** After a second factor: the login checkpoint decides; then remember the browser if asked. */
  const finishLogin = async (
    req: Request,
    res: Response,
    flow: OtpFlow,
    outcome: Outcome,
  ): Promise<void> => {
    const remember = flow.offerRemember === true && field(req.body, 'remember', 4) === '1';
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
    if (remember) {
      await rememberBrowser(req, res, { tenantId: flow.tenantId, userId: result.state.userId });
    }
    res.redirect(303, returnTo);
  };

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
  <p>A passkey on this device: phishing-resistant, AAL3 when its hardware-bound key is proven.</p>
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
    // A browser remembered after an earlier second factor skips it: password + remembered-device
    // meets the login checkpoint (and no step-up, where the policy never counts that factor).
    const owner = { tenantId, userId: account.id };
    const seen = await ctx.factors.devices.recognise({ owner, cookieHeader: req.headers.cookie });
    if (seen.status === 'recognised') {
      const tenant = ctx.tenants.get(tenantId);
      const result = await completeLogin(req, {
        user: account,
        factors: [passwordFactor({ at: ctx.now() }), seen.factor],
        tenantId,
        ...(tenant === undefined ? {} : { tenant: tenant.policy }),
      });
      if (result.authenticated) {
        req.session.flash = `Welcome back: this browser is remembered until ${day(seen.device.expiresAt)}, so no code was needed.`;
        res.redirect(303, returnTo);
        return;
      }
    } else if (seen.status !== 'absent') {
      // Revoked, expired or forged: drop it; this login asks for the second factor.
      res.clearCookie(ctx.factors.devices.cookieName(owner), { path: '/' });
    }
    await beginSecondFactor(req, { userId: account.id, tenantId });
    if ((await ctx.factors.totp.status(owner)).enrolled) {
      // The authenticator app is the second factor: no SMS unless the user asks for one.
      req.session.flow = newFlow({
        kind: 'login',
        to: account.phone,
        channel: 'sms',
        tenantId,
        userId: account.id,
        returnTo,
        now: ctx.now(),
        offerRemember: true,
      });
      res.redirect(303, '/login/otp');
      return;
    }
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
        offerRemember: true,
      });
      res.redirect(303, '/login/otp');
    } catch (error) {
      if (!isCheckpointError(error)) throw error;
      loginPage(req, res, `No code could be sent (${error.code}). Try again later.`, error.status);
    }
  });

  router.get('/login/otp', async (req, res) => {
    const flow = req.session.flow;
    if (flow?.kind !== 'login') return res.redirect(303, '/login');
    await secondFactorPage(req, res, flow);
  });

  // A user with an authenticator app gets a code by SMS only when they ask for it.
  router.post('/login/otp/send', async (req, res) => {
    const flow = req.session.flow;
    const user = ctx.users.get(flow?.kind === 'login' ? flow.userId : undefined);
    if (flow === undefined || user === undefined) return res.redirect(303, '/login');
    if (flow.verificationId === undefined) {
      try {
        const sent = await ctx.checkpoint.send({
          to: user.phone,
          purpose: 'login',
          subject: user.id,
          tenantId: flow.tenantId,
          context: requestContext(req),
        });
        req.session.flow = {
          ...newFlow({ ...flow, to: user.phone, channel: sent.channel, now: ctx.now() }),
          verificationId: sent.id,
        };
      } catch (error) {
        if (!isCheckpointError(error)) throw error;
        req.session.flash = `No code could be sent (${error.code}). Try again later.`;
      }
    }
    res.redirect(303, '/login/otp');
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
      await secondFactorPage(req, res, flow, {
        form: 'sms',
        message: `${FAILURES[info.status] ?? 'Not accepted.'}${left}`,
        status: outcome.status ?? 401,
      });
      return;
    }
    await finishLogin(req, res, flow, outcome);
  });

  // Factor 2 from the user's own authenticator app or a saved recovery code, for the pending user
  // only (TotpStrategy / RecoveryCodeStrategy with `userId: pendingUserId`). An app code is never
  // accepted twice; a recovery code is spent, and its use announced on the phone on file.
  for (const [path, strategy, form] of [
    ['/login/totp', 'checkpoint-totp', 'totp'],
    ['/login/recovery-code', 'checkpoint-recovery-code', 'recovery'],
  ] as const) {
    router.post(path, async (req, res) => {
      const flow = req.session.flow;
      if (flow?.kind !== 'login') return res.redirect(303, '/login');
      const outcome = await authenticate(ctx.auth, strategy, req, res);
      if (!outcome.user) {
        const info = outcome.info as { status?: string; retryAfter?: number };
        const message =
          info.status === 'rate_limited'
            ? `Too many codes tried. Wait ${info.retryAfter ?? 60} s.`
            : (FACTOR_FAILURES[info.status ?? ''] ?? 'Not accepted.');
        await secondFactorPage(req, res, flow, { form, message, status: outcome.status ?? 401 });
        return;
      }
      if (form === 'recovery') {
        const { remaining } = outcome.info as FactorCodeSuccessInfo;
        announceRecoveryCodeLogin(ctx.inbox, (outcome.user as User).phone, remaining);
      }
      await finishLogin(req, res, flow, outcome);
    });
  }

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

  // A sign-out the server keeps: recorded in Checkpoint's Store, so a request still in flight
  // cannot sign the session back in by saving the copy it loaded. It clears the session under a
  // new id — Passport's login with it, so `req.logout` has nothing left to do.
  router.post('/logout', async (req, res) => {
    await ctx.stepUp.signOut(req);
    req.session.flash = 'You are signed out.';
    res.redirect(303, '/');
  });

  return router;
}
