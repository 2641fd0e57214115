import express, { type Request, type Response, type Router } from 'express';
import { type DemoContext, loggedIn, render, signedOf } from '../../DemoContext.js';
import type { Role } from '../../data/Users.js';
import { field } from '../../http/authenticate.js';
import { guard } from '../../http/guard.js';
import { html } from '../../http/html.js';

/** Members and the admin role grant: a step-up bound to (member, role), AAL3 with a passkey. */
export function membersRoutes(ctx: DemoContext): Router {
  const router = express.Router();

  router.get('/admin/members', loggedIn(ctx), (req, res) => {
    const { tenant } = signedOf(res);
    const members = ctx.users.inTenant(tenant.id);
    render(ctx, req, res, {
      title: 'Members',
      scripts: ['actions.js'],
      body: html`<p>Granting the admin role needs ${tenant.policy.stepUp?.['admin_role_grant']?.aal === 3 ? 'a device-bound passkey (AAL3)' : 'a fresh second factor'} — for exactly that member and role.</p>
<table><thead><tr><th>Member</th><th>Role</th><th></th></tr></thead><tbody>
${members.map(
  (member) =>
    html`<tr><td>${member.name} &lt;${member.email}&gt;</td><td>${member.memberships[tenant.id]}</td><td>${
      member.memberships[tenant.id] === 'member'
        ? html`<form data-action="/admin/roles" id="grant-${member.id}"><input type="hidden" name="userId" value="${member.id}"><input type="hidden" name="role" value="admin"><button type="submit">Make admin</button></form>`
        : ''
    }</td></tr>`,
)}
</tbody></table>
<p data-result role="status"></p>`,
    });
  });

  // Validate and authorise before the step-up: a member who may not grant roles gets 403, not a prompt.
  const parseGrant = (req: Request, res: Response, next: () => void): void => {
    const { user, tenant } = signedOf(res);
    const actorRole = user.memberships[tenant.id];
    if (actorRole !== 'owner' && actorRole !== 'admin') {
      res.status(403).json({ error: 'forbidden', message: 'only owners and admins grant roles' });
      return;
    }
    const target = ctx.users.get(field(req.body, 'userId', 40));
    const role = field(req.body, 'role', 10);
    if (target?.memberships[tenant.id] === undefined || role !== 'admin') {
      res.status(400).json({ error: 'invalid_request', message: 'unknown member or role' });
      return;
    }
    res.locals['grant'] = { userId: target.id, email: target.email, role };
    next();
  };
  const grantOf = (res: Response) =>
    res.locals['grant'] as { userId: string; email: string; role: Role };

  router.post(
    '/admin/roles',
    loggedIn(ctx),
    parseGrant,
    guard(ctx.stepUp, ctx.activity, 'admin_role_grant', {
      bind: (req) => ({
        userId: grantOf(req.res as Response).userId,
        role: grantOf(req.res as Response).role,
      }),
      describe: (_fields, req) => {
        const grant = grantOf(req.res as Response);
        return `granting the ${grant.role} role to ${grant.email}`;
      },
    }),
    (req, res, next) => {
      const { user, tenant } = signedOf(res);
      const grant = grantOf(res);
      const target = ctx.users.get(grant.userId);
      if (target === undefined) throw new Error('member vanished');
      ctx.users.setRole(target, tenant.id, grant.role);
      ctx.activity.record({
        tenantId: tenant.id,
        userId: user.id,
        type: 'role.granted',
        detail: `${user.email} granted ${grant.role} to ${grant.email}`,
      });
      // The new admin's privileged actions wait for the tenant's cool-down (24 h by default),
      // unless another admin approves.
      ctx.stepUp
        .roleGranted(req, { userId: target.id, role: grant.role })
        .then(({ until }) =>
          res.json({
            message: `Granted ${grant.role} to ${grant.email}.${
              until === undefined
                ? ''
                : ` Their admin actions wait until ${new Date(until).toISOString()}, or another admin's approval.`
            }`,
          }),
        )
        .catch(next);
    },
  );

  // Another owner or admin ends a new admin's cool-down early: never the new admin themself,
  // never the one who granted the role (Checkpoint refuses both).
  router.post(
    '/admin/members/:id/approve',
    loggedIn(ctx),
    (_req, res, next) => {
      const { user, tenant } = signedOf(res);
      const role = user.memberships[tenant.id];
      if (role !== 'owner' && role !== 'admin') {
        res.status(403).json({ error: 'forbidden', message: 'only owners and admins approve' });
        return;
      }
      next();
    },
    ctx.stepUp.requirePrivileged(),
    (req, res, next) => {
      ctx.stepUp
        .approveCooldown(req, { userId: String(req.params['id']) })
        .then((outcome) => res.status(outcome.approved ? 200 : 403).json(outcome))
        .catch(next);
    },
  );

  return router;
}
