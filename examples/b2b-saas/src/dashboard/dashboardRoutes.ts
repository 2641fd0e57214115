import type { AuditLog } from '@checkpoint/core';
import { enrolmentMetrics, type MetricsAuditLog } from '@checkpoint/observability';
import express, { type Router } from 'express';
import { type DemoContext, loggedIn, render } from '../DemoContext.js';
import { html } from '../http/html.js';
import { barChart, percent } from './barChart.js';
import { dashboardStats } from './dashboardStats.js';
import { demoEnrolment } from './demoEnrolment.js';
import { uptakeCharts } from './uptakeCharts.js';
import { uptakeStats } from './uptakeStats.js';

/** The registry of a `metricsAuditLog`, when the audit log is one. */
function registryOf(auditLog: AuditLog): MetricsAuditLog['registry'] | undefined {
  return (auditLog as Partial<MetricsAuditLog>).registry;
}

/**
 * The operator dashboard: verification rate by flow, channel mix, blocked share and step-up
 * uptake, across tenants, from the audit log; then MFA enrolment uptake, the signup
 * pumping-signal rate, step-up approvals by method and drop-off by country, read from
 * @checkpoint/observability's metrics (served at /metrics in development; in production a
 * Prometheus dashboard runs the README's queries over the same numbers).
 */
export function dashboardRoutes(ctx: DemoContext): Router {
  const router = express.Router();
  const registry = registryOf(ctx.auditLog);
  // Enrolment is counted at scrape time (and on each dashboard view) from the demo's directory.
  if (registry !== undefined) enrolmentMetrics({ registry, collect: () => demoEnrolment(ctx) });
  router.get('/dashboard', loggedIn(ctx), async (req, res) => {
    const stats = await dashboardStats(
      ctx.auditLog,
      ['default', ...ctx.tenants.keys()],
      ctx.activity.stepUpCounts(),
    );
    const sent = stats.channels.reduce((sum, row) => sum + row.sent, 0);
    const { blocked, attempted } = stats.blocked;
    const uptake = registry === undefined ? undefined : await uptakeStats(registry);
    render(ctx, req, res, {
      title: 'Operator dashboard',
      body: html`<p class="hint">All tenants, since start-up: the demo seeds some traffic (sign-ups, logins, a few fraud attempts) so the charts have data.</p>
<div class="charts">
${barChart({
  title: 'Verification rate by flow',
  bars: stats.byPurpose.map((row) => ({
    label: row.purpose,
    fraction: row.started === 0 ? 0 : row.approved / row.started,
    text: `${percent(row.approved, row.started)} of ${row.started}`,
  })),
})}
${barChart({
  title: 'Channel mix',
  tone: 'teal',
  bars: stats.channels.map((row) => ({
    label: row.channel,
    fraction: sent === 0 ? 0 : row.sent / sent,
    text: `${percent(row.sent, sent)} (${row.sent})`,
  })),
})}
${barChart({
  title: `Blocked share: ${percent(blocked, attempted)} of ${attempted} send attempts`,
  tone: 'red',
  bars: [
    { label: 'blocked', fraction: attempted === 0 ? 0 : blocked / attempted, text: `${blocked}` },
    ...stats.blocked.reasons.map((row) => ({
      label: row.reason,
      fraction: blocked === 0 ? 0 : row.count / blocked,
      text: `${row.count}`,
    })),
  ],
})}
${barChart({
  title: 'Step-up uptake (completed / prompted)',
  tone: 'violet',
  bars: stats.stepUps.map((row) => ({
    label: row.checkpoint,
    fraction: row.challenged === 0 ? 0 : row.completed / row.challenged,
    text: `${percent(row.completed, row.challenged)} of ${row.challenged}`,
  })),
})}
${uptake === undefined ? null : uptakeCharts(uptake)}
</div>`,
    });
  });
  return router;
}
