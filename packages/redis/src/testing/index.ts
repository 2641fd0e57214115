export { startRedisServer } from './redisServer.js';
export type { RedisServerHandle, RedisServerOptions } from './redisServer.js';
export { startRedisCluster } from './redisCluster.js';
export type { RedisClusterHandle, RedisClusterOptions } from './redisCluster.js';
export { deleteByPrefix, keysByPrefix, testPrefix, useTestRedis } from './testRedis.js';
export type { TestRedis } from './testRedis.js';
export { commandStats, resetCommandStats } from './commandStats.js';
