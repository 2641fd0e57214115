export { RedisFactorStore } from './RedisFactorStore.js';
export type { RedisFactorStoreOptions } from './RedisFactorStore.js';
