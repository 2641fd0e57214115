import { createCheckpoint, outboxChannel } from '@checkpoint/core';
import { BullMQScheduler, createRedisStore, RedisAuditLog, redisOptions } from '@checkpoint/redis';
import { Redis } from 'ioredis';

/**
 * The @checkpoint/redis README example: the same flow as the core quick start, on Redis — store,
 * audit log and fallback timers shared by every process that points at the same Redis.
 */
export async function redisQuickstart(
  url: string,
  prefix = 'cp-example:',
  log: (line: string) => void = console.log,
): Promise<string> {
  const redis = new Redis(url, redisOptions());
  const store = await createRedisStore({ redis, prefix }); // refuses an evicting maxmemory-policy
  const scheduler = new BullMQScheduler({ connection: redis, prefix: `{${prefix}bullmq}` });
  const auditLog = new RedisAuditLog({ redis, prefix });
  const sms = outboxChannel({ name: 'sms' });
  const checkpoint = createCheckpoint({
    secret: process.env.CHECKPOINT_SECRET ?? 'dev-only-secret-change-me-0123456789abcdef',
    channels: [sms],
    store,
    auditLog,
    scheduler,
  });
  try {
    const to = '+14155550100';
    const { id } = await checkpoint.send({ to, purpose: 'login', context: { ip: '203.0.113.7' } });
    const { status } = await checkpoint.check({ id, code: sms.latest(to)?.code ?? '' });
    log(`verification ${id} on Redis -> ${status}`);
    const trail = (await checkpoint.audit(id)).map((event) => event.type);
    log(`audit trail from Redis Streams: ${trail.join(', ')}`);
    return status;
  } finally {
    await checkpoint.close(); // closes the scheduler
    redis.disconnect();
  }
}
