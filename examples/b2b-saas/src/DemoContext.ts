import type { AuditLog, Checkpoint } from '@checkpoint/core';
import type { StepUp, StepUpSession } from '@checkpoint/express';
import type { Factors } from '@checkpoint/factors';
import type { Sso } from '@checkpoint/oidc';
import { assuranceOf } from '@checkpoint/policy';
import type { MemoryCredentialRepository, WebAuthn } from '@checkpoint/webauthn';
import type { NextFunction, Request, Response } from 'express';

import type { Authenticator } from './http/authenticate.js';
import type { Activity } from './data/Activity.js';
import type { Tenant } from './data/tenants.js';
import type { User, Users } from './data/Users.js';
import type { SafeHtml } from './http/html.js';
import { page } from './http/layout.js';
import { takeFlash } from './http/session.js';
import type { DevInbox } from './infra/DevInbox.js';

/** Everything the routes share: the Checkpoint pieces, the app's data, and page helpers. */
export interface DemoContext {
  url: string;
  development: boolean;
  checkpoint: Checkpoint;
  auditLog: AuditLog;
  stepUp: StepUp;
  webauthn: WebAuthn;
  credentials: MemoryCredentialRepository;
  /** Authenticator apps, recovery codes and remembered browsers. */
  factors: Factors;
  sso: Sso;
  auth: Authenticator;
  users: Users;
  tenants: ReadonlyMap<string, Tenant>;
  activity: Activity;
  inbox: DevInbox;
  billing: Map<string, { last4: string; plan: string }>;
  apiKeys: Map<string, ApiKey[]>;
  now: () => number;
}

/** An API key as stored: only a hash of the secret, shown once at creation. */
export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  hash: string;
  createdAt: number;
  createdBy: string;
}

/** The signed-in user of this request, with tenant and session state; undefined when signed out. */
export interface Signed {
  user: User;
  tenant: Tenant;
  state: StepUpSession;
  aal: number;
}

export function signedIn(ctx: DemoContext, req: Request): Signed | undefined {
  const state = req.session.checkpoint as StepUpSession | undefined;
  if (state === undefined) return undefined;
  const user = ctx.users.get(state.userId);
  const tenant = ctx.tenants.get(state.tenantId);
  if (user === undefined || tenant === undefined) return undefined;
  const aal = assuranceOf(state.factors, tenant.policy, { now: ctx.now() }).aal;
  return { user, tenant, state, aal };
}

/** The signed-in user, or a redirect to the login page (HTML) / 401 (JSON). */
export function requireUser(ctx: DemoContext, req: Request, res: Response): Signed | undefined {
  const who = signedIn(ctx, req);
  if (who !== undefined) return who;
  if (req.accepts(['json', 'html']) === 'html' && req.method === 'GET') {
    res.redirect(303, `/login?returnTo=${encodeURIComponent(req.originalUrl)}`);
  } else {
    res.status(401).json({ error: 'login_required', message: 'sign in first' });
  }
  return undefined;
}

/** Middleware form of {@link requireUser}; puts the result in `res.locals.signed`. */
export function loggedIn(ctx: DemoContext) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const who = requireUser(ctx, req, res);
    if (who === undefined) return;
    res.locals['signed'] = who;
    next();
  };
}

/** What {@link loggedIn} found. */
export function signedOf(res: Response): Signed {
  return res.locals['signed'] as Signed;
}

/** Renders a page with the header for this request's viewer. */
export function render(
  ctx: DemoContext,
  req: Request,
  res: Response,
  input: {
    title: string;
    body: SafeHtml;
    scripts?: readonly string[];
    status?: number;
    flash?: string;
  },
): void {
  const who = signedIn(ctx, req);
  const flash = input.flash ?? takeFlash(req);
  res
    .status(input.status ?? 200)
    .type('html')
    .send(
      page({
        title: input.title,
        body: input.body,
        development: ctx.development,
        flash,
        ...(input.scripts === undefined ? {} : { scripts: input.scripts }),
        viewer:
          who === undefined
            ? undefined
            : { name: who.user.name, tenantName: who.tenant.name, aal: who.aal },
      }),
    );
}
