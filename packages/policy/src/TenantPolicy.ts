import { buildCheckpoint, checkName } from './buildCheckpoint.js';
import type { CheckpointOverride } from './catalogue.js';
import { type ControlsOverride, checkControls } from './controls.js';
import { isRecord, shown } from './guards.js';
import { checkTrustedIdps, type TrustedIdp } from './TrustedIdp.js';

/**
 * The step-up settings of one tenant. Every field but `id` is optional and off by default.
 *
 * @example const tenant: TenantPolicy = { id: 'acme', trustIdpMfa: true, trustedIdps: [idp], stepUp: { data_export: { maxAgeSeconds: 600 } } };
 * @see NIST SP 800-63B rev 4 §2; OWASP ASVS 5 V6.8.4
 */
export interface TenantPolicy {
  id: string;
  /** Accept the IdP's own MFA ("bring your own MFA") as `trustedIdps` says: by acr, amr or authentication context. @default false */
  trustIdpMfa?: boolean;
  /** IdPs and what their assertions stand for (see {@link TrustedIdp}). @default [] */
  trustedIdps?: readonly TrustedIdp[];
  /** Count email codes as a possession factor toward AAL2 (not NIST: results say `nonNist`). @default false */
  emailOtpCountsAsFactor?: boolean;
  /** Per-checkpoint overrides, and checkpoints of the tenant's own. @default {} */
  stepUp?: Readonly<Record<string, CheckpointOverride>>;
  /** Per-checkpoint changes to the controls around it: cool-down, frequency, notices (see {@link CONTROLS}). @default {} */
  controls?: Readonly<Record<string, ControlsOverride>>;
}

/**
 * Checks a tenant's step-up settings (as read from configuration or @checkpoint/core's
 * `configure()`), including every `stepUp` override, and returns them typed. Call it when the
 * settings change; `evaluate`, `assuranceOf` and `resolveCheckpoint` check again on every call.
 *
 * @example validateTenantPolicy({ id: 'acme', stepUp: { billing_change: { aal: 4 } } }); // TypeError: … must be 1, 2 or 3
 * @see OWASP ASVS 5 V6.8.4; RFC 9470 §3
 */
export function validateTenantPolicy(tenant: unknown): TenantPolicy {
  if (!isRecord(tenant)) {
    throw new TypeError("a tenant policy must be an object such as { id: 'acme' }");
  }
  if (typeof tenant.id !== 'string' || tenant.id === '') {
    throw new TypeError(
      `tenant.id must be the tenant's id, a non-empty string, got ${shown(tenant.id)}`,
    );
  }
  for (const key of ['trustIdpMfa', 'emailOtpCountsAsFactor'] as const) {
    if (tenant[key] !== undefined && typeof tenant[key] !== 'boolean') {
      throw new TypeError(`tenant.${key} must be true or false, got ${shown(tenant[key])}`);
    }
  }
  checkTrustedIdps(tenant.trustedIdps);
  checkControls(tenant.controls);
  const { stepUp } = tenant;
  if (stepUp !== undefined) {
    if (!isRecord(stepUp)) {
      throw new TypeError('tenant.stepUp must be an object such as { billing_change: { aal: 3 } }');
    }
    for (const [name, override] of Object.entries(stepUp)) {
      checkName(name, 'a tenant.stepUp key');
      buildCheckpoint(
        name,
        override,
        tenant.emailOtpCountsAsFactor === true,
        `tenant.stepUp.${name}`,
      );
    }
  }
  return tenant as unknown as TenantPolicy;
}
