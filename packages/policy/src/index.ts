export { factor, isMethod, METHODS } from './Factor.js';
export type { Aal, Factor, FactorEvidence, Method } from './Factor.js';

export { otpMethodOf } from './otpMethodOf.js';
export type { OtpMedium, OtpMethod } from './otpMethodOf.js';

export { addFactor, MAX_FACTORS } from './AuthState.js';
export type { AuthState } from './AuthState.js';

export { validateTenantPolicy } from './TenantPolicy.js';
export type { TenantPolicy } from './TenantPolicy.js';
export type { AmrCondition, AmrRule, TrustedIdp } from './TrustedIdp.js';
export { amrMeets } from './ssoTrust.js';

export { assuranceOf } from './assurance.js';
export type { Assurance, AssuranceOptions } from './assurance.js';

export { CHECKPOINTS, ENTERPRISE_PRESET, isCheckpointName } from './catalogue.js';
export type { Checkpoint, CheckpointName, CheckpointOverride } from './catalogue.js';
export { resolveCheckpoint } from './resolveCheckpoint.js';
export { CONTROLS, resolveControls } from './controls.js';
export type { CheckpointControls, ControlAudience, ControlsOverride } from './controls.js';

export { evaluate } from './evaluate.js';
export type { Evaluation, StepUpReason } from './evaluate.js';

export { SESSION_LIMITS, sessionExpired, sessionLimits } from './sessionLimits.js';
export type { SessionExpiry, SessionLimits, SessionTimes } from './sessionLimits.js';

export { ACR, aalFromAcr, acrValuesFor } from './acr.js';
