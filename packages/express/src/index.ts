// OTP routes
export { otpRouter } from './otp/otpRouter.js';
export type {
  Awaitable,
  FailedCheckLimits,
  OtpRouterOptions,
  SendRequestBody,
} from './otp/OtpRouterOptions.js';
export { DEFAULT_FAILED_CHECKS } from './otp/settings.js';
export { NOBODY_SIGNED_IN } from './otp/requestBinding.js';

// Errors
export { errorHandler } from './errors/errorHandler.js';
export type { ErrorHandlerOptions } from './errors/errorHandler.js';
export { HTTP_STATUS } from './errors/httpStatus.js';
export type { ErrorBody, HttpErrorCode } from './errors/httpStatus.js';

// Request context
export { clientContext } from './context/clientContext.js';

// Step-up
export { createStepUp } from './stepUp/createStepUp.js';
export type { StepUp } from './stepUp/createStepUp.js';
export type { RequireCheckpointOptions } from './stepUp/requireCheckpoint.js';
export type { StepUpOutcome } from './stepUp/StepUpHost.js';
export type { PendingAction } from './stepUp/grants.js';
export type { ContactNotice, StepUpOptions, TenantContact } from './stepUp/StepUpOptions.js';
export type {
  ApiKeyRecord,
  CooldownApproval,
  RoleGranted,
  StepUpControls,
} from './stepUp/controls/controlsApi.js';
export { recordFactor } from './stepUp/recordFactor.js';
export type { RecordFactorOptions } from './stepUp/recordFactor.js';
export { safeReturnTo } from './stepUp/safeReturnTo.js';
export { bindingHash } from './stepUp/bindingHash.js';
export { wwwAuthenticate } from './stepUp/wwwAuthenticate.js';
export type { SessionLike, StepUpSession } from './stepUp/session.js';

// Provider receipts and carrier keywords
export { providerWebhooks } from './receivers/providerWebhooks.js';
export type { ProviderWebhooksOptions } from './receivers/providerWebhooks.js';
export { webhookReceiver } from './receivers/webhookReceiver.js';
export type { WebhookReceiverOptions } from './receivers/webhookReceiver.js';

// Metrics
export { metricsHandler } from './metrics/metricsHandler.js';
export type { MetricsRegistry } from './metrics/metricsHandler.js';
