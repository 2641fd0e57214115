import type { Request } from 'express';
import type { DecoyBinding } from './decoy/Decoys.js';
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

/** @internal */
export async function requestBinding(settings: OtpSettings, req: Request): Promise<RequestBinding> {
  const [tenant, user] = await Promise.all([settings.tenantId?.(req), settings.subject?.(req)]);
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
