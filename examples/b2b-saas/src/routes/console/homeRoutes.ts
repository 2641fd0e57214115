import { CHECKPOINTS, resolveCheckpoint } from '@checkpoint/policy';
import express, { type Router } from 'express';
import { type DemoContext, render, signedIn } from '../../DemoContext.js';
import { html } from '../../http/html.js';

/** Where each checkpoint is exercised in the console. */
const WHERE: Record<string, string> = {
  signup: '/signup',
  password_reset: '/reset',
  admin_role_grant: '/admin/members',
  billing_change: '/billing',
  api_key_create: '/api-keys',
  audit_log_access: '/audit',
  data_export: '/data-export',
};

function minutes(seconds: number): string {
  return seconds >= 3_600 ? `${seconds / 3_600} h` : `${Math.round(seconds / 60)} min`;
}

/** The console's home: a tour when signed out, the seven checkpoints and what they need when in. */
export function homeRoutes(ctx: DemoContext): Router {
  const router = express.Router();
  router.get('/', (req, res) => {
    const who = signedIn(ctx, req);
    if (who === undefined) {
      render(ctx, req, res, {
        title: 'Welcome to Acme Console',
        body: html`<p class="lead">A B2B console guarded by Checkpoint: one-time codes, passkeys, SSO and
step-up at the moments that matter.</p>
<ol class="tour">
  <li><a href="/signup">Sign up</a> — your phone is verified with a code (read it in the <a href="/dev/inbox">dev inbox</a>).</li>
  <li><a href="/login">Log in</a> with a password and a code, with a passkey, or with SSO for Acme or Globex.</li>
  <li>Add a passkey under Security, then grant the admin role: Acme demands a device-bound passkey (AAL3).</li>
  <li>Set up an authenticator app and recovery codes under Security, and tick “Remember this browser” at your next login.</li>
  <li>Change the billing card: the code’s message says exactly what it approves.</li>
  <li>Create an API key, read and export the audit log, export your data; then open the Dashboard.</li>
</ol>`,
      });
      return;
    }
    const names = Object.keys(WHERE).filter((name) => name in CHECKPOINTS);
    render(ctx, req, res, {
      title: `${who.tenant.name} console`,
      body: html`<p>Signed in as ${who.user.email} (${who.user.memberships[who.tenant.id] ?? 'member'}),
with ${who.state.factors.map((f) => f.method).join(' + ')} — session at AAL${who.aal}.</p>
<table class="checkpoints">
<thead><tr><th>Checkpoint</th><th>Needs</th><th>Within</th><th>Methods, in order</th></tr></thead>
<tbody>${names.map((name) => {
        const checkpoint = resolveCheckpoint(name, who.tenant.policy);
        return html`<tr><td><a href="${WHERE[name] ?? '/'}">${name}</a></td><td>AAL${checkpoint.aal}</td><td>${minutes(checkpoint.maxAgeSeconds)}</td><td>${checkpoint.methods.join(', ')}</td></tr>`;
      })}</tbody>
</table>`,
    });
  });
  return router;
}
