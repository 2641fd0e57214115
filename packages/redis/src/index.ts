export { createRedisStore, RedisStore } from './store/RedisStore.js';
export type { RedisStoreOptions } from './store/RedisStore.js';
export { redisOptions } from './store/redisOptions.js';
export type { FailClosedOptions } from './store/redisOptions.js';
