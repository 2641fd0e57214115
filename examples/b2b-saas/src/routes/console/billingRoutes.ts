import express, { type Request, type Response, type Router } from 'express';
import { type DemoContext, loggedIn, render, signedOf } from '../../DemoContext.js';
import { field } from '../../http/authenticate.js';
import { guard } from '../../http/guard.js';
import { html } from '../../http/html.js';

const PLANS = ['starter', 'team', 'enterprise'] as const;

/**
 * Billing change: a step-up bound to the new card and plan. The code's message and the step-up
 * page say what it approves, and the grant approves that payload once — never another card.
 */
export function billingRoutes(ctx: DemoContext): Router {
  const router = express.Router();

  router.get('/billing', loggedIn(ctx), (req, res) => {
    const { tenant } = signedOf(res);
    const current = ctx.billing.get(tenant.id) ?? { last4: '0000', plan: 'starter' };
    render(ctx, req, res, {
      title: 'Billing',
      scripts: ['actions.js'],
      body: html`<p id="billing-current">Card on file: …${current.last4}, ${current.plan} plan.</p>
<form data-action="/billing" id="billing-form" class="card">
  <label>New card number <input name="card" inputmode="numeric" autocomplete="cc-number" required></label>
  <label>Plan <select name="plan">${PLANS.map((plan) => html`<option value="${plan}">${plan}</option>`)}</select></label>
  <button type="submit">Save billing details</button>
</form>
<p data-result role="status"></p>`,
    });
  });

  const parseCard = (req: Request, res: Response, next: () => void): void => {
    const digits = field(req.body, 'card', 40).replace(/[\s-]/g, '');
    const plan = field(req.body, 'plan', 20);
    if (!/^\d{12,19}$/.test(digits) || !(PLANS as readonly string[]).includes(plan)) {
      res.status(400).json({ error: 'invalid_request', message: 'a card number and a plan' });
      return;
    }
    // Only the last four digits are kept — and bound: the grant names this card.
    res.locals['billing'] = { last4: digits.slice(-4), plan };
    next();
  };
  const billingOf = (req: Request) =>
    (req.res as Response).locals['billing'] as { last4: string; plan: string };

  router.post(
    '/billing',
    loggedIn(ctx),
    parseCard,
    guard(ctx.stepUp, ctx.activity, 'billing_change', {
      bind: (req) => billingOf(req),
      describe: (_fields, req) => {
        const { last4, plan } = billingOf(req);
        return `changing the billing card to …${last4} (${plan} plan)`;
      },
    }),
    (req, res) => {
      const { user, tenant } = signedOf(res);
      const change = billingOf(req);
      ctx.billing.set(tenant.id, change);
      ctx.activity.record({
        tenantId: tenant.id,
        userId: user.id,
        type: 'billing.changed',
        detail: `card …${change.last4}, ${change.plan} plan`,
      });
      res.json({ message: `Billing updated: card …${change.last4}, ${change.plan} plan.` });
    },
  );

  return router;
}
