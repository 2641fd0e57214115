import { buildCheckpoint, checkName } from './buildCheckpoint.js';
import type { Checkpoint } from './catalogue.js';
import { type TenantPolicy, validateTenantPolicy } from './TenantPolicy.js';

/**
 * The checkpoint `name` as it applies to `tenant`: the built-in one with the tenant's override
 * merged on top, or the tenant's own checkpoint. An unknown name, or an invalid override anywhere
 * in the tenant's settings, throws a TypeError that says what to pass.
 *
 * @example resolveCheckpoint('billing_change', { id: 'bigcorp', stepUp: ENTERPRISE_PRESET }).aal; // 3
 * @see RFC 9470 §3; NIST SP 800-63B rev 4 §2
 */
export function resolveCheckpoint(name: string, tenant?: TenantPolicy): Checkpoint {
  checkName(name, 'resolveCheckpoint(name) name');
  const policy = tenant === undefined ? undefined : validateTenantPolicy(tenant);
  const stepUp = policy?.stepUp;
  const override = stepUp !== undefined && Object.hasOwn(stepUp, name) ? stepUp[name] : undefined;
  return buildCheckpoint(
    name,
    override,
    policy?.emailOtpCountsAsFactor === true,
    `tenant.stepUp.${name}`,
  );
}
