import { recordFactor, safeReturnTo } from '@checkpoint/express';
import { passwordFactor } from '@checkpoint/passport';
import { evaluate, isCheckpointName, resolveCheckpoint } from '@checkpoint/policy';
import express, { type Router } from 'express';
import { type DemoContext, loggedIn, render, signedOf } from '../DemoContext.js';
import { field } from '../http/authenticate.js';
import { html } from '../http/html.js';

/** Checkpoints the console guards (and contact_change / factor_change, for the Security page). */
function knownCheckpoint(name: unknown): string | undefined {
  return typeof name === 'string' && isCheckpointName(name) ? name : undefined;
}

/**
 * The browser step-up page that `requireCheckpoint` redirects to: says what is being approved
 * (`stepUp.pendingAction`) and offers the methods that complete the checkpoint now, in the
 * policy's order (phishing-resistant first; the authenticator app and recovery codes only when
 * the user has them). stepup.js drives the step-up router; a password re-entry (which only ever
 * completes a pair) is a plain form here.
 */
export function stepUpPageRoutes(ctx: DemoContext): Router {
  const router = express.Router();

  router.get('/step-up', loggedIn(ctx), async (req, res) => {
    const { user, tenant, state } = signedOf(res);
    const name = knownCheckpoint(req.query['checkpoint']);
    if (name === undefined) return res.status(404).send('unknown checkpoint');
    const returnTo = safeReturnTo(req.query['returnTo']);
    const now = ctx.now();
    const resolved = resolveCheckpoint(name, tenant.policy);
    const result = evaluate(resolved, state, tenant.policy, now);
    const methods = result.satisfied ? resolved.methods : result.methods;
    const owner = { tenantId: state.tenantId, userId: user.id };
    // The action waiting for this step-up lives in Checkpoint's Store, not in the session.
    const [pending, passkeys, totp, codes] = await Promise.all([
      ctx.stepUp.pendingAction(req, name),
      ctx.credentials.listByUser(user.id),
      ctx.factors.totp.status(owner),
      ctx.factors.recoveryCodes.status(owner),
    ]);
    const approving = pending?.summary;
    const hasIdpLogin = state.factors.some((factor) => factor.method === 'sso');
    const offers = [];
    if (methods.includes('webauthn') && passkeys.length > 0) {
      offers.push(html`<button type="button" data-method="webauthn">Use your passkey</button>`);
    }
    if (methods.includes('totp') && totp.enrolled) {
      offers.push(
        html`<button type="button" data-method="totp">Use your authenticator app</button>`,
      );
    }
    if (methods.includes('otp-sms'))
      offers.push(
        html`<button type="button" data-method="otp" data-channel="sms">Text me a code</button>`,
      );
    if (methods.includes('otp-whatsapp'))
      offers.push(
        html`<button type="button" data-method="otp" data-channel="whatsapp">Send a code by WhatsApp</button>`,
      );
    if (methods.includes('sso') && hasIdpLogin && tenant.policy.trustIdpMfa === true) {
      offers.push(
        html`<a class="button" href="/auth/step-up/${name}/sso?returnTo=${encodeURIComponent(returnTo)}">Confirm at your IdP</a>`,
      );
    }
    // A recovery code only where the checkpoint lists it (factor_change: regaining access after a
    // lost phone), never toward AAL3 (the policy refuses it there too).
    if (methods.includes('recovery-code') && resolved.aal < 3 && (codes?.remaining ?? 0) > 0) {
      offers.push(
        html`<button type="button" data-method="recovery-code">Use a recovery code</button>`,
      );
    }
    if (offers.length === 0 && methods.includes('webauthn')) {
      offers.push(
        html`<p>This needs a passkey. <a href="/security">Add one under Security</a> first.</p>`,
      );
    }
    const needsPassword =
      !result.satisfied &&
      !methods.some((method) => method.startsWith('otp-')) &&
      user.password !== undefined;
    render(ctx, req, res, {
      title: 'Confirm it’s you',
      scripts: ['stepup.js'],
      body: html`<div class="card stepup" data-checkpoint="${name}" data-return-to="${returnTo}">
<p><strong>${name}</strong> needs AAL${resolved.aal} within ${Math.round(resolved.maxAgeSeconds / 60)} min${resolved.phishingResistant === true ? ', phishing-resistant' : ''}.</p>
${approving === undefined ? html`<p class="approving" hidden>You are approving: <strong id="approving"></strong></p>` : html`<p class="approving">You are approving: <strong id="approving">${approving}</strong></p>`}
<div class="offers">${offers}</div>
<form id="otp-step" hidden>
  <p id="otp-sent"></p>
  <label>Code <input name="code" autocomplete="one-time-code" inputmode="numeric" pattern="[0-9]{4,10}" maxlength="10" required></label>
  <button type="submit">Verify</button>
  <button type="button" id="otp-resend" class="link">Resend code</button>
</form>
<form id="factor-step" hidden>
  <label><span id="factor-label">Code</span> <input name="code" autocomplete="off" maxlength="32" required></label>
  <button type="submit">Verify</button>
</form>
<p id="stepup-result" role="alert"></p>
</div>
${
  needsPassword
    ? html`<form method="post" action="/step-up/password" class="card">
<p>Or confirm your password, then a code:</p>
<input type="hidden" name="checkpoint" value="${name}"><input type="hidden" name="returnTo" value="${returnTo}">
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Confirm password</button></form>`
    : ''
}
<p><a href="${returnTo}">Cancel</a></p>`,
    });
  });

  // A fresh password (one factor; it never completes a checkpoint alone) before a code step-up.
  router.post('/step-up/password', loggedIn(ctx), async (req, res) => {
    const { user, tenant } = signedOf(res);
    const name = knownCheckpoint(field(req.body, 'checkpoint', 40)) ?? 'login';
    const returnTo = safeReturnTo(field(req.body, 'returnTo', 2_048));
    const back = `/step-up?checkpoint=${encodeURIComponent(name)}&returnTo=${encodeURIComponent(returnTo)}`;
    if (ctx.users.authenticate(user.email, field(req.body, 'password', 200)) === undefined) {
      req.session.flash = 'Wrong password.';
      return res.redirect(303, back);
    }
    await recordFactor(req, passwordFactor({ at: ctx.now() }), {
      tenant: tenant.policy,
      now: ctx.now(),
    });
    res.redirect(303, back);
  });

  return router;
}
