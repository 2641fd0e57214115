export { createSso } from './createSso.js';
export type {
  CallbackInput,
  Sso,
  SsoOptions,
  SsoResult,
  StartInput,
  StartResult,
} from './createSso.js';
export type { IdpConfig, IdpSource } from './IdpConfig.js';
export type { StepUp } from './StepUp.js';

export { readAssertion } from './readAssertion.js';
export type { ReadAssertionOptions, SsoAssertion, SsoSubject } from './readAssertion.js';
export { stepUpParams } from './stepUpParams.js';
export { stepUpAtIdp } from './stepUpAtIdp.js';
export type { StepUpAtIdpInput } from './stepUpAtIdp.js';
export { ssoUserKey } from './ssoUserKey.js';
export { localPath } from './localPath.js';
export type { SsoFailureReason } from './refusal.js';
