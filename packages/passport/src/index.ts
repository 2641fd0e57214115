export { OtpStrategy } from './strategy/OtpStrategy.js';
export type {
  OtpCredentials,
  OtpStrategyOptions,
  OtpStrategyOptionsBase,
  OtpStrategyOptionsWithRequest,
  OtpVerified,
  OtpVerifyFunction,
  OtpVerifyFunctionWithRequest,
} from './strategy/options.js';
export { FAILURE_HTTP_STATUS } from './strategy/outcomes.js';
export type { OtpFailureInfo, OtpFailureStatus, OtpSuccessInfo } from './strategy/outcomes.js';
export { requestContext } from './strategy/requestContext.js';

export { WebAuthnStrategy } from './strategy/WebAuthnStrategy.js';
export type {
  WebAuthnStrategyOptions,
  WebAuthnSuccessInfo,
  WebAuthnVerified,
  WebAuthnVerifyFunction,
} from './strategy/WebAuthnStrategy.js';

export { RecoveryCodeStrategy, TotpStrategy } from './strategy/TotpStrategy.js';
export type {
  FactorCodeStrategyOptions,
  FactorCodeSuccessInfo,
  FactorCodeVerified,
  FactorCodeVerifyFunction,
} from './strategy/TotpStrategy.js';

export { beginSecondFactor } from './session/beginSecondFactor.js';
export type { BeginSecondFactorInput } from './session/beginSecondFactor.js';
export { completeLogin } from './session/completeLogin.js';
export type { CompleteLoginOptions, LoginResult } from './session/completeLogin.js';
export { pendingUserId } from './session/pendingUserId.js';

export { otpFactor, otpMethod, passwordFactor } from './authState/factors.js';
export type {
  AuthFactor,
  AuthState,
  CheckpointSessionData,
  FactorMethod,
  OtpMethod,
} from './authState/AuthState.js';
