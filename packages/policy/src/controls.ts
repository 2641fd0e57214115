import { checkName } from './buildCheckpoint.js';
import { isRecord, shown } from './guards.js';
import type { TenantPolicy } from './TenantPolicy.js';

/**
 * Who is told after a checkpoint's action ran: the account that acted, the tenant's billing
 * admins, or the tenant's security contacts (the app says who they are).
 */
export type ControlAudience = 'account' | 'billing_admins' | 'security_contacts';

/**
 * The controls placed around one checkpoint, once its step-up is met. Each is off unless set.
 *
 * @example const controls: CheckpointControls = { minIntervalSeconds: 3600, notify: ['account'] };
 * @see AICPA TSC 2017 CC6.1, CC6.2, CC6.3, CC7.2 (logical access, changes to it, monitoring)
 */
export interface CheckpointControls {
  /**
   * After this action grants a user a privileged role, that user's privileged actions wait this
   * many seconds — unless an admin other than the user and the one who granted it approves. 0: none.
   */
  cooldownSeconds: number;
  /** The checkpoints a user in cool-down is refused at (their privileged actions). */
  cooldownCheckpoints: readonly string[];
  /** At most one action per user per this many seconds (counted when it succeeds). 0: no limit. */
  minIntervalSeconds: number;
  /** Who is told once the action has run. */
  notify: readonly ControlAudience[];
}

/**
 * A tenant's change to a checkpoint's controls: any of its fields; the others keep their default.
 *
 * @example const tenant: TenantPolicy = { id: 'acme', controls: { admin_role_grant: { cooldownSeconds: 3600 } } };
 */
export type ControlsOverride = Partial<CheckpointControls>;

const NONE: CheckpointControls = Object.freeze({
  cooldownSeconds: 0,
  cooldownCheckpoints: Object.freeze([]),
  minIntervalSeconds: 0,
  notify: Object.freeze([]),
});

// A new admin's "first sensitive action": every checkpoint that acts with an admin's power.
const PRIVILEGED: readonly string[] = Object.freeze([
  'admin_role_grant',
  'billing_change',
  'api_key_create',
  'audit_log_access',
  'data_export',
]);
const AUDIENCES: readonly ControlAudience[] = ['account', 'billing_admins', 'security_contacts'];
const OVERRIDE_KEYS = new Set(Object.keys(NONE));
const DAY = 86_400;
const HOUR = 3_600;

function controls(set: Partial<CheckpointControls>): CheckpointControls {
  return Object.freeze({ ...NONE, ...set });
}

/**
 * The controls of the built-in checkpoints, each with its reason (a tenant overrides any field):
 * - `admin_role_grant`: the new admin waits 24 h before a privileged action (or another admin
 *   approves), and the account and the security contacts are told — a compromised admin session
 *   cannot mint an admin and use it at once, and the grant does not go unseen.
 * - `billing_change`: every billing admin is told — a changed card or bank account is the common
 *   cash-out of a takeover and of internal fraud, and the other billing admins can stop it.
 * - `api_key_create`: the account and the security contacts are told — a key outlives the session
 *   that made it; its scopes and expiry are audited by `api_key.created`.
 * - `data_export`: at most one export per user per hour, and the account and the security
 *   contacts are told — bulk export is the costliest exfiltration; the limit bounds what one
 *   stolen session can take before someone reads the notice.
 * Other checkpoints have no controls beyond their step-up.
 *
 * @example CONTROLS.data_export.minIntervalSeconds; // 3600
 * @see AICPA TSC 2017 CC6.2, CC6.3 (role changes reviewed), CC7.2 (anomalies noticed); NIST SP 800-53 rev 5 AC-2(4), AC-6(9), AU-6
 */
export const CONTROLS: Readonly<
  Record<
    'admin_role_grant' | 'billing_change' | 'api_key_create' | 'data_export',
    CheckpointControls
  >
> = Object.freeze({
  admin_role_grant: controls({
    cooldownSeconds: DAY,
    cooldownCheckpoints: PRIVILEGED,
    notify: Object.freeze(['account', 'security_contacts'] as const),
  }),
  billing_change: controls({ notify: Object.freeze(['billing_admins'] as const) }),
  api_key_create: controls({ notify: Object.freeze(['account', 'security_contacts'] as const) }),
  data_export: controls({
    minIntervalSeconds: HOUR,
    notify: Object.freeze(['account', 'security_contacts'] as const),
  }),
});

/**
 * The controls of checkpoint `name` for `tenant`: the built-in ones with the tenant's override
 * merged on top (a checkpoint without built-in controls has none unless the tenant sets them).
 *
 * @example resolveControls('admin_role_grant', { id: 'acme', controls: { admin_role_grant: { cooldownSeconds: 3600 } } }).cooldownSeconds; // 3600
 */
export function resolveControls(name: string, tenant?: TenantPolicy): CheckpointControls {
  checkName(name, 'resolveControls(name) name');
  const base = Object.hasOwn(CONTROLS, name)
    ? ((CONTROLS as Readonly<Record<string, CheckpointControls>>)[name] ?? NONE)
    : NONE;
  const overrides = checkControls(tenant?.controls);
  const override =
    overrides !== undefined && Object.hasOwn(overrides, name) ? overrides[name] : undefined;
  return override === undefined ? base : controls({ ...base, ...override });
}

/**
 * @internal
 * Throws a TypeError saying what to pass unless `value` is a valid `tenant.controls`.
 */
export function checkControls(
  value: unknown,
): Readonly<Record<string, ControlsOverride>> | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value)) {
    throw new TypeError(
      'tenant.controls must be an object such as { data_export: { minIntervalSeconds: 3600 } }',
    );
  }
  for (const [name, override] of Object.entries(value)) {
    checkName(name, 'a tenant.controls key');
    const what = `tenant.controls.${name}`;
    if (!isRecord(override)) throw new TypeError(`${what} must be an object`);
    for (const [key, field] of Object.entries(override)) {
      if (!OVERRIDE_KEYS.has(key)) {
        throw new TypeError(
          `${what}.${key} is not a control (use ${[...OVERRIDE_KEYS].join(', ')})`,
        );
      }
      if (key === 'cooldownSeconds' || key === 'minIntervalSeconds') {
        if (!Number.isInteger(field) || (field as number) < 0 || (field as number) > 30 * DAY) {
          throw new TypeError(
            `${what}.${key} must be whole seconds from 0 to 30 days, got ${shown(field)}`,
          );
        }
      } else if (key === 'notify') {
        if (
          !Array.isArray(field) ||
          !field.every((audience: unknown) => AUDIENCES.includes(audience as ControlAudience))
        ) {
          throw new TypeError(`${what}.notify must be a list of ${AUDIENCES.join(', ')}`);
        }
      } else if (!Array.isArray(field)) {
        throw new TypeError(`${what}.cooldownCheckpoints must be a list of checkpoint names`);
      } else {
        for (const entry of field) checkName(entry, `an entry of ${what}.cooldownCheckpoints`);
      }
    }
  }
  return value as Readonly<Record<string, ControlsOverride>>;
}
