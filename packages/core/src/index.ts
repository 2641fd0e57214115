export { createCheckpoint } from './lifecycle/createCheckpoint.js';
export type {
  ChannelInfo,
  Checkpoint,
  CheckpointOptions,
  Verification,
} from './lifecycle/createCheckpoint.js';
export type { Tickets } from './lifecycle/tickets.js';
export type { SendInput, SendResult } from './lifecycle/send.js';
export type { CheckInput, CheckResult, CheckStatus } from './lifecycle/check.js';
export type { ResendOptions } from './lifecycle/resend.js';
export type { CheckLimit, RateLimitInput, RateLimitResult } from './lifecycle/rateLimit.js';
export type { DeliveryReceipt, DeliveryReceiptResult } from './lifecycle/recordDelivery.js';
export type { GuardInput, GuardRefusal, SendGuard } from './lifecycle/SendGuard.js';
export { defaultGuards, pumpingGuards } from './pumping/defaultGuards.js';
export type { PumpingGuardsOptions } from './pumping/defaultGuards.js';
export { lineTypeGuard } from './pumping/lineTypeGuard.js';
export { reputationGuard, staticBlocklist } from './pumping/reputation.js';
export type {
  NumberReputation,
  ReputationGuardOptions,
  StaticBlocklistOptions,
} from './pumping/reputation.js';
export { trafficGuard } from './pumping/trafficGuard.js';
export type { ConversionThrottle, TrafficGuardOptions } from './pumping/trafficGuard.js';
export type { GuardHost, StatefulSendGuard } from './pumping/GuardHost.js';
export { staticAsnResolver } from './pumping/asnResolver.js';
export type { AsnRange, AsnResolver } from './pumping/asnResolver.js';
export { DEFAULT_PUMPING_CONFIG, VELOCITY_PROFILES } from './pumping/PumpingConfig.js';
export type { PumpingConfig, VelocityProfileName } from './pumping/PumpingConfig.js';
export { silentLogger } from './lifecycle/Logger.js';
export type { Logger } from './lifecycle/Logger.js';

export { CheckpointError, ERROR_STATUS, isCheckpointError } from './errors/CheckpointError.js';
export type { CheckpointErrorCode, CheckpointErrorOptions } from './errors/CheckpointError.js';

export { generateCode, secureRandomInt } from './codes/generateCode.js';
export type { RandomInt } from './codes/generateCode.js';
export { safeEqual, secretKeys } from './codes/keyring.js';
export type { SecretKey, SecretOption } from './codes/keyring.js';
export { isVerificationId, verificationShard } from './codes/verificationId.js';

export { DEFAULT_TENANT_CONFIG } from './config/TenantConfig.js';
export type {
  FailureBudget,
  RateWindow,
  TenantConfig,
  TenantOverrides,
  VelocityConfig,
  WebhookEndpoint,
} from './config/TenantConfig.js';

export { DEFAULT_SANCTIONED_COUNTRIES } from './destination/countries.js';
export type { CountryPolicy } from './destination/countries.js';
export { lookupPhone } from './destination/lookupPhone.js';
export type { LineType, LookupProvider, LookupResult } from './destination/lookupPhone.js';
export { maskEmail, maskPhone } from './destination/mask.js';
export type { Destination, DestinationInput } from './destination/normalizeDestination.js';

export { consoleChannel } from './channels/consoleChannel.js';
export type { ConsoleChannelOptions } from './channels/consoleChannel.js';
export { outboxChannel } from './channels/outboxChannel.js';
export type { OutboxChannel, OutboxChannelOptions } from './channels/outboxChannel.js';
export type {
  Channel,
  ChannelMedium,
  ChannelMessage,
  ChannelSendResult,
} from './channels/Channel.js';
export type { OptOutRequest, OptOutResult } from './lifecycle/optOut.js';
export type { MessageOptions, RenderContext } from './channels/renderMessage.js';

export { MemoryStore } from './store/MemoryStore.js';
export type { MemoryStoreOptions } from './store/MemoryStore.js';
export {
  advancesDelivery,
  DELIVERY_STATUSES,
  FINAL_DELIVERY_STATUSES,
} from './store/deliveryState.js';
export type {
  AddSendInput,
  AddSendResult,
  CheckBinding,
  CounterReadResult,
  CounterReads,
  TallyOp,
  CounterResult,
  CounterRule,
  DeliveryInput,
  DeliveryRecord,
  DeliveryStatus,
  DeliveryUpdate,
  DispatchInput,
  Store,
  StoreCheckInput,
  StoreCheckResult,
  OptOutInput,
  TicketInput,
  TransitionInput,
  VerificationRecord,
  VerificationStatus,
} from './store/Store.js';

export { InProcessScheduler } from './scheduler/InProcessScheduler.js';
export type { InProcessSchedulerOptions } from './scheduler/InProcessScheduler.js';
export type { JobHandler, ScheduledJob, Scheduler } from './scheduler/Scheduler.js';
export { systemClock } from './clock/Clock.js';
export type { Clock, TimerHandle } from './clock/Clock.js';

export { MemoryAuditLog } from './audit/MemoryAuditLog.js';
export type { MemoryAuditLogOptions } from './audit/MemoryAuditLog.js';
export { RETENTION_PRESETS, retentionFromConfig, retentionResolver } from './audit/retention.js';
export type { RetentionDays, RetentionFromConfigOptions } from './audit/retention.js';
export { AUDIT_CSV_COLUMNS, exportAudit } from './audit/exportAudit.js';
export type { AuditExportFormat } from './audit/exportAudit.js';
export type {
  AuditEvent,
  AuditEventType,
  AuditLog,
  AuditQuery,
  ControlEventType,
  FactorEventType,
  RequestContext,
} from './audit/AuditEvent.js';
export { CONTROL_EVENT_TYPES, FACTOR_EVENT_TYPES } from './audit/AuditEvent.js';
export { assertAuditEvent, assertAuditQuery } from './audit/assertAudit.js';
