import { isCheckpointError } from '@checkpoint/core';
import { requestContext } from '@checkpoint/passport';
import express, { type Request, type Response, type Router } from 'express';
import { type DemoContext, render } from '../../DemoContext.js';
import { field } from '../../http/authenticate.js';
import { type OtpFlow, regenerate } from '../../http/session.js';
import { html } from '../../http/html.js';
import { newFlow, otpForm } from '../otpFlow.js';
import { homeTenant } from './loginRoutes.js';

/** The new password, and whether remembered browsers go too (ticked unless the user unticked it). */
function newPasswordFields(forgetBrowsers: boolean) {
  return html`<label>New password <input name="password" type="password" autocomplete="new-password" minlength="12" required></label>
<label class="check"><input type="checkbox" name="forgetBrowsers" value="1"${forgetBrowsers ? ' checked' : ''}> Also sign out remembered browsers</label>
<p class="hint">Every session of the account is signed out. A remembered browser skips the code at login; sign those out too unless they are all yours.</p>`;
}

/** The reset page names no number: it must look the same whether the email has an account. */
function anonymous(flow: OtpFlow): OtpFlow {
  return { ...flow, sentTo: 'the phone number on the account, if there is one' };
}

/**
 * Password reset (the `password_reset` checkpoint): a code to the account's phone authorises
 * setting a new password — and nothing else. It signs nobody in (the next login still needs a
 * second factor: ASVS V6.4.3), it signs out every session the user had (`stepUp.revokeUser`:
 * whoever knew the old password may be signed in; ASVS V7.4.3) and, when the box is ticked,
 * forgets the user's remembered browsers, and the account's email gets a notice (NIST SP
 * 800-63B §4.2). An unknown email gets the same pages and answers, and no message.
 */
export function resetRoutes(ctx: DemoContext): Router {
  const router = express.Router();

  router.get('/reset', (req, res) => {
    render(ctx, req, res, {
      title: 'Reset your password',
      body: html`<form method="post" action="/reset" class="card">
  <label>Email <input name="email" type="email" autocomplete="username" required></label>
  <button type="submit">Send a code to my phone</button>
</form>`,
    });
  });

  router.post('/reset', async (req, res) => {
    const user = ctx.users.byEmail(field(req.body, 'email', 254));
    const now = ctx.now();
    if (user === undefined) {
      // No account: a flow without a verification, so the next page looks the same.
      req.session.flow = anonymous(
        newFlow({ kind: 'reset', to: '+10000000000', channel: 'sms', tenantId: 'default', now }),
      );
      return res.redirect(303, '/reset/verify');
    }
    const tenantId = homeTenant(user);
    try {
      const sent = await ctx.checkpoint.send({
        to: user.phone,
        purpose: 'password_reset',
        subject: user.id,
        tenantId,
        context: requestContext(req),
      });
      req.session.flow = anonymous(
        newFlow({
          kind: 'reset',
          verificationId: sent.id,
          to: user.phone,
          channel: sent.channel,
          tenantId,
          userId: user.id,
          now,
        }),
      );
    } catch (error) {
      if (!isCheckpointError(error)) throw error;
      // The same answer as for any account: say nothing about this one.
      req.session.flow = anonymous(
        newFlow({ kind: 'reset', to: user.phone, channel: 'sms', tenantId, now }),
      );
    }
    res.redirect(303, '/reset/verify');
  });

  const verifyPage = (
    req: Request,
    res: Response,
    failure?: { error: string; status: number; forgetBrowsers: boolean },
  ): void => {
    const flow = req.session.flow;
    if (flow?.kind !== 'reset') return res.redirect(303, '/reset');
    render(ctx, req, res, {
      title: 'Choose a new password',
      status: failure?.status ?? 200,
      scripts: ['otp.js'],
      body: otpForm(flow, newPasswordFields(failure?.forgetBrowsers ?? true), failure?.error),
    });
  };

  router.get('/reset/verify', (req, res) => verifyPage(req, res));

  router.post('/reset/verify', async (req, res) => {
    const flow = req.session.flow;
    if (flow?.kind !== 'reset') return res.redirect(303, '/reset');
    const password = field(req.body, 'password', 200);
    const forgetBrowsers = field(req.body, 'forgetBrowsers', 4) === '1';
    if (password.length < 12) {
      verifyPage(req, res, {
        error: 'The new password needs at least 12 characters.',
        status: 400,
        forgetBrowsers,
      });
      return;
    }
    const result =
      flow.verificationId === undefined || flow.userId === undefined
        ? { status: 'failed' }
        : await ctx.checkpoint
            .check({
              id: flow.verificationId,
              code: field(req.body, 'code', 10),
              purpose: 'password_reset',
              subject: flow.userId,
              tenantId: flow.tenantId,
              context: requestContext(req),
            })
            .catch((error: unknown) => {
              if (
                isCheckpointError(error) &&
                ['not_found', 'invalid_request'].includes(error.code)
              ) {
                return { status: error.code };
              }
              throw error;
            });
    const user = ctx.users.get(flow.userId);
    if (result.status !== 'approved' || user === undefined) {
      verifyPage(req, res, {
        error: `That code was not accepted (${result.status}).`,
        status: 401,
        forgetBrowsers,
      });
      return;
    }
    ctx.users.setPassword(user, password);
    // Whoever knew the old password may be signed in, in any workspace of the user: every
    // session signed in until now ends, on the server (this flow is signed in nowhere).
    const workspaces = Object.keys(user.memberships);
    for (const tenantId of workspaces) {
      await ctx.stepUp.revokeUser({ tenantId, userId: user.id });
    }
    ctx.activity.record({
      tenantId: flow.tenantId,
      userId: user.id,
      type: 'password.reset',
      detail: `${user.email} set a new password after a code to their phone; every session was signed out`,
    });
    let forgotten = 0;
    if (forgetBrowsers) {
      for (const tenantId of workspaces) {
        forgotten += await ctx.factors.devices.revokeAll({ owner: { tenantId, userId: user.id } });
      }
      ctx.activity.record({
        tenantId: flow.tenantId,
        userId: user.id,
        type: 'devices.revoked',
        detail: `${user.email} signed out ${forgotten} remembered ${forgotten === 1 ? 'browser' : 'browsers'} at the password reset`,
      });
    }
    ctx.inbox.notice(
      user.email,
      `The password of your Acme Console account was changed and every session signed out${forgotten > 0 ? `, and ${forgotten} remembered ${forgotten === 1 ? 'browser' : 'browsers'} forgotten` : ''}. If this was not you, contact support now.`,
    );
    // A new session: the reset grants no login.
    await regenerate(req);
    req.session.flash = forgetBrowsers
      ? 'Password changed: every session and remembered browser is signed out. Log in with it — a code is still required.'
      : 'Password changed: every session is signed out. Log in with it — a code is still required unless this browser is remembered.';
    res.redirect(303, '/login');
  });

  return router;
}
