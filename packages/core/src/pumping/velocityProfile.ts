import type { GuardInput, GuardRefusal } from '../lifecycle/SendGuard.js';
import type { CounterRule } from '../store/Store.js';
import type { GuardHost } from './GuardHost.js';
import { type PumpingConfig, VELOCITY_PROFILES } from './PumpingConfig.js';

const DAY_MS = 86_400_000;

/**
 * @internal
 * Why a tenant is held to the strict profile at `now`: set to it, or younger than
 * `newTenantDays` (account-age gating); `undefined` when it is on `standard`.
 */
export function strictReason(policy: PumpingConfig, now: number): string | undefined {
  if (policy.profile === 'strict') return 'velocity:strict';
  if (
    policy.createdAt !== undefined &&
    policy.newTenantDays > 0 &&
    now - policy.createdAt < policy.newTenantDays * DAY_MS
  ) {
    return 'new_tenant';
  }
  return undefined;
}

/**
 * @internal
 * The strict profile's caps for one send, per destination, IP, ASN (when known) and tenant, each
 * counted for this tenant only, with the refusal each answers (`rate_limited`, reason
 * `pumping:velocity:strict:ip`, `pumping:new_tenant:tenant`, …).
 */
export function profileRules(
  input: GuardInput,
  host: GuardHost,
): Array<{ rule: CounterRule; refusal: GuardRefusal }> {
  const why = strictReason(input.config.pumping, input.now);
  if (why === undefined) return [];
  const caps = VELOCITY_PROFILES.strict;
  const tenant = host.hash('tenant', input.tenantId);
  const subjects: Array<[kind: keyof typeof caps, tag: string, subject: string | undefined]> = [
    ['destination', 'ppd', input.destinationHash],
    ['ip', 'ppi', input.context.ip === undefined ? undefined : host.hash('ip', input.context.ip)],
    ['asn', 'ppa', input.context.asn === undefined ? undefined : String(input.context.asn)],
    ['tenant', 'ppt', tenant],
  ];
  const rules: Array<{ rule: CounterRule; refusal: GuardRefusal }> = [];
  for (const [kind, tag, subject] of subjects) {
    if (subject === undefined) continue;
    for (const { limit, windowSeconds } of caps[kind]) {
      rules.push({
        rule: {
          key: `${tag}:${subject}:${windowSeconds}:${tenant}`,
          limit,
          windowSeconds,
          cost: 1,
        },
        refusal: { code: 'rate_limited', reason: `pumping:${why}:${kind}` },
      });
    }
  }
  return rules;
}
