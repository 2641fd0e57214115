import express, { type Router } from 'express';
import { type DemoContext, loggedIn, render, signedOf } from '../../DemoContext.js';
import { html } from '../../http/html.js';
import { masked } from '../otpFlow.js';

/**
 * The user's authenticators: phone (masked) and passkeys. Enrolment runs the step-up router's
 * `/passkeys/register/*` routes, which demand a fresh `contact_change` step-up first and send a
 * notice to the phone on file (NIST SP 800-63B §4.1).
 */
export function securityRoutes(ctx: DemoContext): Router {
  const router = express.Router();
  router.get('/security', loggedIn(ctx), async (req, res) => {
    const { user } = signedOf(res);
    const passkeys = await ctx.credentials.listByUser(user.id);
    render(ctx, req, res, {
      title: 'Security',
      scripts: ['passkeys.js'],
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
          html`<li><code>${passkey.id.slice(0, 12)}…</code> ${passkey.deviceType === 'singleDevice' ? 'device-bound (AAL3)' : 'synced (AAL2)'}, added ${new Date(passkey.createdAt).toISOString().slice(0, 16).replace('T', ' ')}</li>`,
      )}</ul>`
}
<button type="button" id="add-passkey">Add a passkey</button>
<p id="passkey-result" role="status"></p>
</div>`,
    });
  });
  return router;
}
