import express, { type Router } from 'express';
import { type DemoContext, loggedIn, render, signedOf } from '../../DemoContext.js';
import { guard } from '../../http/guard.js';
import { html } from '../../http/html.js';

/**
 * Data export (`data_export`: bulk exfiltration risk, fresh MFA), bound to the tenant being
 * exported. The download is the JSON answer of the POST itself, so no export link can leak.
 */
export function dataExportRoutes(ctx: DemoContext): Router {
  const router = express.Router();

  router.get('/data-export', loggedIn(ctx), (req, res) => {
    const { tenant } = signedOf(res);
    render(ctx, req, res, {
      title: 'Data export',
      scripts: ['actions.js'],
      body: html`<p>Everything ${tenant.name} keeps here — members, roles, billing, API key metadata — as one JSON file.</p>
<form data-action="/data-export" data-download="${tenant.id}-export.json" id="data-export-form" class="card">
  <input type="hidden" name="scope" value="all">
  <button type="submit">Export all data</button>
</form>
<p data-result role="status"></p>`,
    });
  });

  router.post(
    '/data-export',
    loggedIn(ctx),
    guard(ctx.stepUp, ctx.activity, 'data_export', {
      bind: (req) => ({ tenantId: req.session.checkpoint?.tenantId ?? '' }),
      describe: (_fields, req) =>
        `exporting all data of ${ctx.tenants.get(req.session.checkpoint?.tenantId ?? '')?.name ?? 'this workspace'}`,
    }),
    (_req, res) => {
      const { user, tenant } = signedOf(res);
      const members = ctx.users.inTenant(tenant.id).map((member) => ({
        id: member.id,
        name: member.name,
        email: member.email,
        role: member.memberships[tenant.id],
      }));
      const apiKeys = (ctx.apiKeys.get(tenant.id) ?? []).map(({ hash: _hash, ...key }) => key);
      ctx.activity.record({
        tenantId: tenant.id,
        userId: user.id,
        type: 'data.exported',
        detail: `${user.email} exported ${members.length} members and ${apiKeys.length} API keys`,
      });
      res.json({
        message: `Exported ${members.length} members and ${apiKeys.length} API keys.`,
        data: { tenant: tenant.id, members, billing: ctx.billing.get(tenant.id) ?? null, apiKeys },
      });
    },
  );

  return router;
}
