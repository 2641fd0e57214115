import {
  type AmrCondition,
  assuranceOf,
  type Checkpoint,
  type Evaluation,
  type FactorEvidence,
  factor,
  resolveCheckpoint,
  type TenantPolicy,
} from '@checkpoint/policy';
import type { StepUp } from './StepUp.js';

/**
 * Options of {@link stepUpAtIdp}.
 *
 * @example const input: StepUpAtIdpInput = { evaluation, tenant, issuer: result.subject.issuer };
 */
export interface StepUpAtIdpInput {
  /** What `evaluate()` of @checkpoint/policy said about the checkpoint. */
  evaluation: Evaluation;
  tenant: TenantPolicy;
  /** The IdP the user signs in with. */
  issuer: string;
  /** The checkpoint evaluated, when evaluate() was given a Checkpoint rather than a name. */
  checkpoint?: Checkpoint;
}

/**
 * What to demand of the user's IdP so that a fresh login there satisfies an unsatisfied
 * checkpoint, asked the way that IdP is trusted, and the checkpoint's max age:
 * 1. trusted `acr` values that reach the checkpoint's AAL (and phishing resistance when
 *    required): `{ acrValues, maxAge }`, the weakest first — `acr_values` and an essential `acr`;
 * 2. else a trusted Entra authentication context that reaches it: `{ acrs: [id], maxAge,
 *    prompt: 'login' }` — an essential `acrs` claim, which Conditional Access enforces; Entra does
 *    not document `max_age`, so a fresh login is what makes its `auth_time` pass it;
 * 3. else trusted `amr` rules that reach it: `{ amr, maxAge, prompt: 'login' }` — no parameter
 *   asks an IdP for methods, so the user signs in afresh (an `amr` describes the authentication
 *   of this request only when there was one: Auth0, for one, leaves it out of a silent login), and
 *   the `amr` that comes back must meet one of the rules.
 *
 * Undefined when the checkpoint is satisfied, does not take `sso`, or the tenant trusts nothing
 * of this IdP enough: then step up locally (OTP, passkey) instead. Every candidate is judged by
 * @checkpoint/policy's own `assuranceOf`, so this never trusts more than `evaluate` does.
 *
 * @example
 * const evaluation = evaluate('billing_change', state, tenant, now);
 * const stepUp = stepUpAtIdp({ evaluation, tenant, issuer });
 * if (stepUp) res.redirect((await sso.start({ tenantId: tenant.id, stepUp, returnTo })).url.href);
 * @see RFC 9470 §3–§4; OpenID Connect Core 1.0 §3.1.2.1, §5.5.1.1
 */
export function stepUpAtIdp({
  evaluation,
  tenant,
  issuer,
  checkpoint = resolveCheckpoint(evaluation.checkpoint, tenant),
}: StepUpAtIdpInput): StepUp | undefined {
  if (evaluation.satisfied || !checkpoint.methods.includes('sso')) return undefined;
  const trusted = tenant.trustedIdps?.find((idp) => idp.issuer === issuer);
  if (trusted === undefined) return undefined;
  const maxAge = evaluation.maxAgeSeconds;
  /** The AAL a fresh login with this evidence reaches, when it satisfies the checkpoint. */
  const reach = (evidence: Pick<FactorEvidence, 'acr' | 'amr' | 'acrs'>): number | undefined => {
    const assurance = assuranceOf([factor('sso', { at: 0, source: issuer, ...evidence })], tenant);
    const enough =
      assurance.aal >= evaluation.requiredAal &&
      (!evaluation.phishingResistant || assurance.phishingResistant);
    return enough ? assurance.aal : undefined;
  };

  const acrValues = weakestFirst(Object.keys(trusted.acr ?? {}), (acr) => reach({ acr }));
  if (acrValues.length > 0) return { acrValues, maxAge };

  const [context] = weakestFirst(Object.keys(trusted.acrs ?? {}), (id) => reach({ acrs: [id] }));
  if (context !== undefined) return { acrs: [context], maxAge, prompt: 'login' };

  // A rule counts only if every login meeting it does: each of its smallest amr sets must reach.
  const rules = (trusted.amr ?? []).filter((rule) =>
    smallestSets(rule).every((amr) => reach({ amr }) !== undefined),
  );
  if (rules.length > 0) {
    return { amr: rules.map(conditionOf), maxAge, prompt: 'login' };
  }
  return undefined;
}

/** The values that reach the checkpoint, the weakest first (stable for equal levels). */
function weakestFirst(values: string[], reach: (value: string) => number | undefined): string[] {
  return values
    .map((value) => ({ value, aal: reach(value) }))
    .filter((candidate): candidate is { value: string; aal: number } => candidate.aal !== undefined)
    .sort((a, b) => a.aal - b.aal)
    .map(({ value }) => value);
}

function smallestSets({ allOf = [], anyOf }: AmrCondition): string[][] {
  return anyOf === undefined || anyOf.length === 0
    ? [[...allOf]]
    : anyOf.map((value) => [...allOf, value]);
}

function conditionOf({ allOf, anyOf }: AmrCondition): AmrCondition {
  return {
    ...(allOf === undefined ? {} : { allOf: [...allOf] }),
    ...(anyOf === undefined ? {} : { anyOf: [...anyOf] }),
  };
}
