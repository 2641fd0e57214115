import {
  assuranceOf,
  type Checkpoint,
  type Evaluation,
  factor,
  resolveCheckpoint,
  type TenantPolicy,
} from '@checkpoint/policy';
import type { StepUp } from './IdpConfig.js';

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
 * checkpoint: the acr values of that IdP that the tenant trusts at the checkpoint's AAL (and
 * phishing resistance when required), the weakest first, and the checkpoint's max age. Undefined
 * when the checkpoint is satisfied, does not take `sso`, or the tenant trusts no acr of this IdP
 * enough: then step up locally (OTP, passkey) instead. Every candidate acr is judged by
 * @checkpoint/policy's own `assuranceOf`, so this never trusts more than `evaluate` does.
 *
 * @example
 * const evaluation = evaluate('billing_change', state, tenant, now);
 * const stepUp = stepUpAtIdp({ evaluation, tenant, issuer });
 * if (stepUp) res.redirect((await sso.start({ tenantId: tenant.id, stepUp, returnTo })).url.href);
 * @see RFC 9470 §3–§4; OpenID Connect Core 1.0 §3.1.2.1
 */
export function stepUpAtIdp({
  evaluation,
  tenant,
  issuer,
  checkpoint = resolveCheckpoint(evaluation.checkpoint, tenant),
}: StepUpAtIdpInput): StepUp | undefined {
  if (evaluation.satisfied || !checkpoint.methods.includes('sso')) return undefined;
  const trusted = tenant.trustedIdps?.find((idp) => idp.issuer === issuer);
  const ranked = Object.keys(trusted?.acr ?? {})
    .map((acr) => ({
      acr,
      assurance: assuranceOf([factor('sso', { at: 0, source: issuer, acr })], tenant),
    }))
    .filter(
      ({ assurance }) =>
        assurance.aal >= evaluation.requiredAal &&
        (!evaluation.phishingResistant || assurance.phishingResistant),
    )
    .sort((a, b) => a.assurance.aal - b.assurance.aal);
  if (ranked.length === 0) return undefined;
  return { acrValues: ranked.map(({ acr }) => acr), maxAge: evaluation.maxAgeSeconds };
}
