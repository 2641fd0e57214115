export { createRedisStore, RedisStore } from './store/RedisStore.js';
export type { RedisStoreOptions } from './store/RedisStore.js';
export { redisOptions } from './store/redisOptions.js';
export type { FailClosedOptions } from './store/redisOptions.js';
export { RedisAuditLog } from './audit/RedisAuditLog.js';
export type { RedisAuditLogOptions } from './audit/RedisAuditLog.js';
export { BullMQScheduler } from './scheduler/BullMQScheduler.js';
export type { BullMQSchedulerOptions } from './scheduler/BullMQScheduler.js';
