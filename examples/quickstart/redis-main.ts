import { redisQuickstart } from './redis.js';

await redisQuickstart(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
