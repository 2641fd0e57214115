import type { StoredCredential } from '@checkpoint/webauthn';
import express, { type Router } from 'express';
import { type DemoContext, loggedIn, render, signedOf } from '../../DemoContext.js';
import { html } from '../../http/html.js';
import { masked } from '../otpFlow.js';

/** What factors.js reports after a change, by the `done` it returns with (never free text). */
const DONE: Record<string, string> = {
  'totp-added': 'Authenticator app added: sign-ins and step-ups can use its codes now.',
  'totp-removed': 'Authenticator app removed.',
  'device-revoked':
    'That browser is no longer remembered: its next login asks for a second factor.',
  'devices-revoked': 'No browser is remembered any more.',
};

function day(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

/** What a passkey counts for: AAL3 only when bound so on a proven hardware model. */
function strength(passkey: StoredCredential): string {
  if (passkey.aal3 !== undefined) return 'device-bound (AAL3)';
  if (passkey.deviceType === 'multiDevice') return 'synced (AAL2)';
  return passkey.attested === undefined
    ? 'device-bound, model not proven (AAL2)'
    : 'device-bound, not approved for AAL3 (AAL2)';
}

/**
 * The user's authenticators: phone (masked), passkeys, an authenticator app, recovery codes and
 * remembered browsers. Passkey enrolment runs the step-up router's `/passkeys/register/*` routes
 * (a fresh `contact_change` step-up first); the app and the recovery codes run its `/factors`
 * routes (a fresh `factor_change` step-up first). Either way the phone on file gets a notice
 * (NIST SP 800-63B rev 4 §4.1). The QR code and the key of an app being enrolled, and new recovery
 * codes, exist only in the answer factors.js shows: never in this page's HTML.
 */
export function securityRoutes(ctx: DemoContext): Router {
  const router = express.Router();
  router.get('/security', loggedIn(ctx), async (req, res) => {
    const { user, state } = signedOf(res);
    const owner = { tenantId: state.tenantId, userId: user.id };
    const [passkeys, totp, codes, devices, seen] = await Promise.all([
      ctx.credentials.listByUser(user.id),
      ctx.factors.totp.status(owner),
      ctx.factors.recoveryCodes.status(owner),
      ctx.factors.devices.list(owner),
      ctx.factors.devices.recognise({ owner, cookieHeader: req.headers.cookie }),
    ]);
    const thisBrowser = seen.status === 'recognised' ? seen.device.id : undefined;
    const done = typeof req.query['done'] === 'string' ? DONE[req.query['done']] : undefined;
    render(ctx, req, res, {
      title: 'Security',
      scripts: ['passkeys.js', 'factors.js'],
      ...(done === undefined ? {} : { flash: done }),
      body: html`<div class="card">
<h2>Phone</h2><p>${masked(user.phone)} — login and step-up codes go here.</p>
</div>
<div class="card">
<h2>Passkeys</h2>
${
  passkeys.length === 0
    ? html`<p id="passkey-count">No passkey yet.</p>`
    : html`<p id="passkey-count">${passkeys.length} passkey${passkeys.length === 1 ? '' : 's'}.</p>
<ul class="passkeys">${passkeys.map(
        (passkey) =>
          html`<li><code>${passkey.id.slice(0, 12)}…</code> ${strength(passkey)}, added ${new Date(passkey.createdAt).toISOString().slice(0, 16).replace('T', ' ')}</li>`,
      )}</ul>`
}
<button type="button" id="add-passkey">Add a passkey</button>
<p id="passkey-result" role="status"></p>
</div>
<div class="card" id="totp-card">
<h2>Authenticator app</h2>
${
  totp.enrolled
    ? html`<p id="totp-status">On${totp.confirmedAt === undefined ? '' : html` since ${day(totp.confirmedAt)}`}: sign-ins and step-ups accept its 6-digit codes.</p>
<button type="button" data-factor-action="totp-remove">Remove the authenticator app</button>`
    : html`<p id="totp-status">Not set up. An authenticator app shows a new 6-digit code every 30 seconds, without SMS.</p>
<button type="button" data-factor-action="totp-enrol" data-account="${user.email}">Set up an authenticator app</button>`
}
<div id="totp-enrolment" hidden>
  <p>Scan this QR code with your authenticator app, or enter the key by hand. Then type the code it shows.</p>
  <img id="totp-qr" class="qr" alt="QR code for your authenticator app" width="200" height="200">
  <p>Key: <code id="totp-secret"></code></p>
  <form id="totp-confirm">
    <label>Code from the app <input name="code" autocomplete="one-time-code" inputmode="numeric"
      pattern="[0-9]{6,8}" maxlength="8" required></label>
    <button type="submit">Confirm</button>
  </form>
</div>
<p id="totp-result" role="status"></p>
</div>
<div class="card" id="recovery-card">
<h2>Recovery codes</h2>
<p id="recovery-status">${
        codes === null
          ? 'None yet. Recovery codes let you in when your phone is lost; each works once.'
          : `${codes.remaining} unused, made ${day(codes.createdAt)}. New ones replace them all.`
      }</p>
<button type="button" data-factor-action="recovery-codes">${codes === null ? 'Generate recovery codes' : 'Regenerate recovery codes'}</button>
<div id="recovery-new" hidden>
  <p><strong>Save these codes now: they are shown only this once.</strong> Each works once, at login or to confirm a change of factors; the previous set no longer works.</p>
  <ol id="recovery-codes" class="codes"></ol>
</div>
<p id="recovery-result" role="status"></p>
</div>
<div class="card" id="devices-card">
<h2>Remembered browsers</h2>
${
  devices.length === 0
    ? html`<p id="devices-none">No browser is remembered. Tick “Remember this browser” at the second factor of a login to skip it on that browser.</p>`
    : html`<p class="hint">These browsers sign in with the password alone until the date shown; a step-up still asks for a second factor.</p>
<ul id="devices">${devices.map(
        (device) =>
          html`<li data-device="${device.id}">${device.label ?? 'A browser'}${device.id === thisBrowser ? html` <strong>(this browser)</strong>` : ''}, remembered ${day(device.createdAt)} until ${day(device.expiresAt)}
<button type="button" class="link" data-revoke-device="${device.id}">Revoke</button></li>`,
      )}</ul>
<button type="button" id="devices-revoke-all">Revoke all</button>`
}
<p id="devices-result" role="status"></p>
</div>`,
    });
  });
  return router;
}
