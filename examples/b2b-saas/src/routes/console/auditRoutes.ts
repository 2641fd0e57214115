import { type AuditEvent, type AuditExportFormat, exportAudit } from '@checkpoint/core';
import express, { type Router } from 'express';
import { type DemoContext, loggedIn, render, signedOf } from '../../DemoContext.js';
import { guard } from '../../http/guard.js';
import { html } from '../../http/html.js';

const SHOWN = 100;

/**
 * The tenant's audit log (`audit_log_access`: AAL2 within 15 minutes): Checkpoint's lifecycle
 * events — destinations masked, codes never present — next to the app's own activity, and a
 * streamed export as CSV (formula cells defused) or JSON lines.
 */
export function auditRoutes(ctx: DemoContext): Router {
  const router = express.Router();
  const access = guard(ctx.stepUp, ctx.activity, 'audit_log_access');

  router.get('/audit', loggedIn(ctx), access, async (req, res) => {
    const { tenant } = signedOf(res);
    const events: AuditEvent[] = [];
    for await (const event of ctx.auditLog.query({ tenantId: tenant.id })) events.push(event);
    const recent = events.slice(-SHOWN).reverse();
    render(ctx, req, res, {
      title: 'Audit log',
      body: html`<p><a class="button" href="/audit/export?format=csv" id="export-csv">Export CSV</a>
<a class="button" href="/audit/export?format=jsonl">Export JSON lines</a></p>
<h2>Verification events (${events.length})</h2>
<table class="audit"><thead><tr><th>Time</th><th>Event</th><th>Purpose</th><th>Channel</th><th>To</th><th>Result</th><th>IP</th></tr></thead><tbody>
${recent.map(
  (event) =>
    html`<tr><td>${new Date(event.at).toISOString().slice(11, 19)}</td><td>${event.type}</td><td>${event.purpose}</td><td>${event.channel}</td><td>${event.destination?.masked}</td><td>${event.result}${event.reasons === undefined ? '' : ` (${event.reasons.join(', ')})`}</td><td>${event.context?.ip}</td></tr>`,
)}</tbody></table>
<h2>Console activity</h2>
<ul class="activity">${ctx.activity
        .forTenant(tenant.id)
        .map(
          (event) =>
            html`<li>${new Date(event.at).toISOString().slice(11, 19)} <strong>${event.type}</strong> ${event.detail}</li>`,
        )}</ul>`,
    });
  });

  router.get('/audit/export', loggedIn(ctx), access, async (req, res) => {
    const { user, tenant } = signedOf(res);
    const format: AuditExportFormat = req.query['format'] === 'jsonl' ? 'jsonl' : 'csv';
    ctx.activity.record({
      tenantId: tenant.id,
      userId: user.id,
      type: 'audit.exported',
      detail: `${user.email} exported the audit log as ${format}`,
    });
    res
      .type(format === 'csv' ? 'text/csv' : 'application/x-ndjson')
      .attachment(`audit-${tenant.id}.${format}`);
    for await (const chunk of exportAudit(ctx.auditLog.query({ tenantId: tenant.id }), format)) {
      res.write(chunk);
    }
    res.end();
  });

  return router;
}
