export { createFactors } from './createFactors.js';
export type { Factors, FactorsOptions } from './createFactors.js';
export type { TotpEnrolment, TotpFactor, TotpResult, TotpSettings } from './totp/createTotp.js';
export { totpCode } from './totp/totpCode.js';
export type { TotpParameters } from './totp/totpCode.js';
export { RECOVERY_CODE_LENGTH } from './recovery/createRecoveryCodes.js';
export type {
  RecoveryCodeResult,
  RecoveryCodes,
  RecoveryCodeSettings,
} from './recovery/createRecoveryCodes.js';
export type {
  DeviceCookie,
  DeviceRefusal,
  DeviceSettings,
  RememberedDevices,
} from './devices/createRememberedDevices.js';
export type { FactorEvent, FactorEventType } from './events/FactorEvent.js';
export type { AttemptLimit, AttemptLimiter } from './runtime.js';
export { MemoryFactorStore } from './store/MemoryFactorStore.js';
export type {
  FactorOwner,
  FactorStore,
  RecoveryCodeSet,
  RememberedDevice,
  TotpRecord,
  TotpState,
} from './store/FactorStore.js';
