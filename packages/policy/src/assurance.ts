import { type Contribution, contributionOf } from './contribution.js';
import { type Factor, isMethod, METHODS, type Method } from './Factor.js';
import { checkMaxAge, checkNow, isRecord } from './guards.js';
import { type TenantPolicy, validateTenantPolicy } from './TenantPolicy.js';

/**
 * The assurance a set of factors gives: the AAL reached (0 = nothing counted), whether that level
 * is reached phishing-resistantly, whether it needs an email code (outside NIST), and the factors
 * that counted.
 *
 * @example const { aal, phishingResistant } = assuranceOf(state.factors, tenant, { now });
 * @see NIST SP 800-63B rev 4 §2.1–§2.3
 */
export interface Assurance {
  aal: 0 | 1 | 2 | 3;
  phishingResistant: boolean;
  /** The level is reached only with an email code: allowed by the tenant, not by NIST. */
  nonNist: boolean;
  /** The fresh factors the rules recognised, in the order held. */
  counted: Factor[];
}

/**
 * Options of {@link assuranceOf}. Without `now`, time is not considered at all.
 *
 * @example const options: AssuranceOptions = { now, maxAgeSeconds: 300, methods: ['webauthn', 'pwd'] };
 * @see RFC 9470 §3 (max_age)
 */
export interface AssuranceOptions {
  /** Epoch milliseconds. Factors with `at > now` (clock skew, forged) do not count. */
  now?: number;
  /** Only factors at most this old count (exactly this old still counts). Needs `now`. */
  maxAgeSeconds?: number;
  /** Only factors of these methods count; naming 'otp-email' lets an email code prove an address (AAL1). */
  methods?: readonly Method[];
}

/** @internal One way the counted factors reach a level. */
export interface Achievement {
  aal: 1 | 2 | 3;
  phishingResistant: boolean;
  nonNist: boolean;
}

/** @internal The counted factors and every level they reach, alone or as a knowledge + possession pair. */
export function assess(
  factors: readonly Factor[],
  tenant: TenantPolicy,
  { now, maxAgeSeconds, methods }: AssuranceOptions,
): { counted: Factor[]; achievements: Achievement[] } {
  const maxAgeMs = maxAgeSeconds === undefined ? undefined : maxAgeSeconds * 1000;
  const emailProvesAddress = methods?.includes('otp-email') === true;
  const contributions: Contribution[] = [];
  for (const factor of factors) {
    // Session data is JSON: a malformed entry counts toward nothing rather than throwing.
    if (!isRecord(factor) || !isMethod(factor.method) || !Number.isFinite(factor.at)) continue;
    if (methods !== undefined && !methods.includes(factor.method)) continue;
    if (
      now !== undefined &&
      (factor.at > now || (maxAgeMs !== undefined && now - factor.at > maxAgeMs))
    ) {
      continue;
    }
    const contribution = contributionOf(factor, tenant, emailProvesAddress);
    if (contribution !== undefined) contributions.push(contribution);
  }
  const achievements: Achievement[] = contributions.map((c) => ({
    aal: c.alone,
    phishingResistant: c.phishingResistant,
    nonNist: c.nonNist,
  }));
  // AAL2: two distinct factors, something you know and something you have (NIST rev 4 §2.2.1).
  // AAL3 also from a password and a single-factor device-bound cryptographic key (§2.3.1).
  for (const knowledge of contributions.filter((c) => c.kind === 'knowledge')) {
    for (const held of contributions.filter((c) => c.kind === 'possession' && c.pairs)) {
      achievements.push({
        aal: knowledge.password && held.hardwareKey ? 3 : 2,
        phishingResistant: knowledge.phishingResistant || held.phishingResistant,
        nonNist: knowledge.nonNist || held.nonNist,
      });
    }
  }
  return { counted: contributions.map((c) => c.factor), achievements };
}

/** @internal The highest level among the achievements that pass `keep`, 0 when none does. */
export function highest(
  achievements: readonly Achievement[],
  keep: (achievement: Achievement) => boolean = () => true,
): 0 | 1 | 2 | 3 {
  let level: 0 | 1 | 2 | 3 = 0;
  for (const achievement of achievements) {
    if (achievement.aal > level && keep(achievement)) level = achievement.aal;
  }
  return level;
}

/**
 * The AAL that `factors` reach for `tenant`, by NIST SP 800-63B rev 4: one factor is AAL1; a
 * password (or an IdP login of unknown strength) with a possession factor, or a WebAuthn credential
 * with user verification, is AAL2; AAL3 needs a device-bound WebAuthn key with user verification,
 * or one without it together with a password. SMS/voice codes never reach past AAL2, codes under 6
 * digits never count toward AAL2, email codes count only where the tenant opts in.
 *
 * @example assuranceOf([factor('pwd', { at }), factor('otp-sms', { at, codeLength: 6 })], { id: 'acme' }).aal; // 2
 * @see NIST SP 800-63B rev 4 §2.1.1, §2.2.1, §2.3.1, §3.1.3.3; OWASP ASVS 5 V6.3.6, V6.8.4
 */
export function assuranceOf(
  factors: readonly Factor[],
  tenant: TenantPolicy,
  options: AssuranceOptions = {},
): Assurance {
  if (!Array.isArray(factors)) {
    throw new TypeError(
      'assuranceOf(factors, tenant) needs an array of factors (authState.factors)',
    );
  }
  validateTenantPolicy(tenant);
  const { now, maxAgeSeconds, methods } = options;
  if (now !== undefined) checkNow(now, 'assuranceOf');
  if (maxAgeSeconds !== undefined) {
    checkMaxAge(maxAgeSeconds, 'assuranceOf options.maxAgeSeconds');
    if (now === undefined) throw new TypeError('assuranceOf needs options.now with maxAgeSeconds');
  }
  if (methods !== undefined && !(Array.isArray(methods) && methods.every(isMethod))) {
    throw new TypeError(`assuranceOf options.methods must be an array of ${METHODS.join(', ')}`);
  }
  const { counted, achievements } = assess(factors, tenant, options);
  const aal = highest(achievements);
  return {
    aal,
    phishingResistant: aal > 0 && highest(achievements, (a) => a.phishingResistant) === aal,
    nonNist: aal > 0 && highest(achievements, (a) => !a.nonNist) < aal,
    counted,
  };
}
