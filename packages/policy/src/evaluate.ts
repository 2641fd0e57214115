import { type Achievement, assess, highest } from './assurance.js';
import type { AuthState } from './AuthState.js';
import { checkCheckpoint } from './buildCheckpoint.js';
import type { Checkpoint } from './catalogue.js';
import { type Aal, type Factor, factor, type Method } from './Factor.js';
import { checkNow, isRecord } from './guards.js';
import { resolveCheckpoint } from './resolveCheckpoint.js';
import { strongestTrustedEvidence } from './ssoTrust.js';
import { type TenantPolicy, validateTenantPolicy } from './TenantPolicy.js';

/**
 * Why a checkpoint is not satisfied: the level is not reached (`insufficient_aal`), it was but
 * too long ago (`stale`), it is reached without a phishing-resistant authenticator where one is
 * required, or the session belongs to another tenant.
 *
 * @example if (result.reason === 'stale') showReauthPrompt();
 * @see RFC 9470 §3 (insufficient_user_authentication)
 */
export type StepUpReason =
  | 'insufficient_aal'
  | 'stale'
  | 'wrong_tenant'
  | 'phishing_resistance_required';

/**
 * The outcome of {@link evaluate}: satisfied with the AAL reached, or what a step-up needs.
 *
 * @example if (!result.satisfied) res.status(401).json({ error: 'step_up_required', methods: result.methods });
 * @see RFC 9470 §3
 */
export type Evaluation =
  | { satisfied: true; checkpoint: string; aal: Aal; nonNist: boolean }
  | {
      satisfied: false;
      checkpoint: string;
      requiredAal: Aal;
      /** The AAL the fresh factors accepted here reach now. */
      currentAal: 0 | 1 | 2 | 3;
      maxAgeSeconds: number;
      phishingResistant: boolean;
      /** The methods that, used now, would satisfy the checkpoint, in the checkpoint's order. */
      methods: Method[];
      reason: StepUpReason;
    };

function meets(
  achievements: readonly Achievement[],
  checkpoint: Checkpoint,
  nist = false,
): boolean {
  return achievements.some(
    (a) =>
      a.aal >= checkpoint.aal &&
      (checkpoint.phishingResistant !== true || a.phishingResistant) &&
      (!nist || !a.nonNist),
  );
}

/** What the user would present for `method` if stepping up now (always a full-strength variant). */
function candidates(
  method: Method,
  checkpoint: Checkpoint,
  held: readonly Factor[],
  tenant: TenantPolicy,
  now: number,
): Factor[] {
  switch (method) {
    case 'webauthn':
      // A passkey reaches AAL2; only AAL3 needs (and gets) a device-bound one.
      return [
        factor('webauthn', { at: now, userVerified: true, deviceBound: checkpoint.aal === 3 }),
      ];
    case 'sso': {
      // Only the user's own IdPs can be asked for a fresh login, at the strongest trusted acr,
      // amr set or authentication context.
      const issuers = new Set(
        held.filter((f) => isRecord(f) && f.method === 'sso').map((f) => f.source),
      );
      return [...issuers].map((source) =>
        factor('sso', {
          at: now,
          ...(typeof source === 'string' ? { source } : {}),
          ...strongestTrustedEvidence(source, tenant),
        }),
      );
    }
    case 'pwd':
      return [factor('pwd', { at: now })];
    case 'remembered-device':
      // Remembered at an earlier login, never offered as a way to step up now.
      return [];
    default:
      return [factor(method, { at: now, codeLength: 6 })];
  }
}

/**
 * Decides whether `authState` satisfies `checkpoint` for `tenant` at `now`, without I/O or clock
 * reads. Only factors of the checkpoint's methods, at most `maxAgeSeconds` old and not from the
 * future, count. When not satisfied, `methods` lists exactly the methods that, used now, would
 * satisfy it given the fresh factors already held (found by trying each one).
 *
 * @param checkpoint a built-in or tenant checkpoint name, or a resolved {@link Checkpoint}
 * @param authState the session's state; undefined for an anonymous visitor
 * @example evaluate('billing_change', req.session.auth, tenant, clock.now());
 * @see RFC 9470 §3; NIST SP 800-63B rev 4 §2, §5.2; OWASP ASVS 5 V7.5.3
 */
export function evaluate(
  checkpoint: string | Checkpoint,
  authState: AuthState | undefined,
  tenant: TenantPolicy,
  now: number,
): Evaluation {
  validateTenantPolicy(tenant);
  const resolved =
    typeof checkpoint === 'string'
      ? resolveCheckpoint(checkpoint, tenant)
      : checkCheckpoint(checkpoint, 'evaluate(checkpoint)');
  checkNow(now, 'evaluate');
  if (authState !== undefined && (!isRecord(authState) || !Array.isArray(authState.factors))) {
    throw new TypeError(
      'evaluate needs an AuthState { userId, tenantId, factors: [] } or undefined',
    );
  }
  const unsatisfied = {
    satisfied: false as const,
    checkpoint: resolved.name,
    requiredAal: resolved.aal,
    maxAgeSeconds: resolved.maxAgeSeconds,
    phishingResistant: resolved.phishingResistant === true,
  };
  if (authState !== undefined && authState.tenantId !== tenant.id) {
    return { ...unsatisfied, currentAal: 0, methods: [], reason: 'wrong_tenant' };
  }
  const held = authState?.factors ?? [];
  const fresh = { now, maxAgeSeconds: resolved.maxAgeSeconds, methods: resolved.methods };
  const { counted, achievements } = assess(held, tenant, fresh);
  const aal = highest(achievements);
  if (meets(achievements, resolved)) {
    return {
      satisfied: true,
      checkpoint: resolved.name,
      aal: aal as Aal,
      nonNist: !meets(achievements, resolved, true),
    };
  }
  const methods = resolved.methods.filter((method) =>
    candidates(method, resolved, held, tenant, now).some((extra) =>
      meets(assess([...counted, extra], tenant, fresh).achievements, resolved),
    ),
  );
  // The same factors without the age limit tell a stale session from a weak one.
  const ever = assess(held, tenant, { now, methods: resolved.methods }).achievements;
  const reason: StepUpReason = meets(ever, resolved)
    ? 'stale'
    : resolved.phishingResistant === true && highest(ever) >= resolved.aal
      ? 'phishing_resistance_required'
      : 'insufficient_aal';
  return { ...unsatisfied, currentAal: aal, methods, reason };
}
