import type { RequestContext } from '@checkpoint/core';
import type { Request } from 'express';
import type { DecoyBinding } from './decoy/Decoys.js';
import type { Awaitable } from './OtpRouterOptions.js';
import type { OtpSettings } from './settings.js';

/**
 * The subject a verification is bound to when the router binds subjects and nobody is signed in:
 * such a verification can be checked only by a request where nobody is signed in either, so
 * signing out never lifts a binding.
 *
 * @example
 * // In onApproved: a code sent before sign-in
 * if (verification.subject === NOBODY_SIGNED_IN) { … }
 */
export const NOBODY_SIGNED_IN = 'checkpoint:nobody-signed-in';

/** @internal Who a request acts for: what core binds sends and checks to. */
export interface RequestBinding {
  /** Passed to core; undefined when the router binds no tenant (core's default tenant). */
  tenantId: string | undefined;
  /** Passed to core; undefined when the router binds no subject. */
  subject: string | undefined;
  /** The signed-in user, for per-subject limits. */
  user: string | undefined;
  /** Passed to core's check when the router has exactly one purpose. */
  purpose: string | undefined;
  decoy: DecoyBinding;
}

/** @internal Who the request acts for. Synchronous when the app's functions are. */
export function requestBinding(settings: OtpSettings, req: Request): Awaitable<RequestBinding> {
  const tenant = settings.tenantId?.(req);
  const user = settings.subject?.(req);
  return isThenable(tenant) || isThenable(user)
    ? Promise.all([tenant, user]).then(([t, u]) => bindingOf(settings, t, u))
    : bindingOf(settings, tenant, user);
}

/**
 * @internal
 * The binding and the client context of a request, read side by side. Most apps' `subject`,
 * `tenantId` and `context` are synchronous: then nothing waits on a promise.
 */
export function requestFacts(
  settings: OtpSettings,
  req: Request,
): Awaitable<[RequestBinding, RequestContext]> {
  const binding = requestBinding(settings, req);
  const context = settings.context(req);
  return isThenable(binding) || isThenable(context)
    ? Promise.all([binding, context])
    : [binding, context];
}

function bindingOf(
  settings: OtpSettings,
  tenant: string | undefined,
  user: string | undefined,
): RequestBinding {
  // A router that binds tenants binds "no tenant" to the default one, so a check without a
  // tenant cannot approve another tenant's verification.
  const tenantId = settings.tenantId === undefined ? undefined : (tenant ?? 'default');
  const subject = settings.subject === undefined ? undefined : (user ?? NOBODY_SIGNED_IN);
  return {
    tenantId,
    subject,
    user,
    purpose: settings.checkPurpose,
    decoy: {
      tenantId: tenantId ?? 'default',
      subject: subject ?? '',
      purpose: settings.checkPurpose ?? '',
    },
  };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | undefined)?.then === 'function';
}
