// Type tests of RedisAuditLog's public surface: checked by `tsc -b` (part of `pnpm test`).
import type { AuditEvent, AuditExportFormat, AuditLog, AuditQuery } from '@checkpoint/core';
import type { Cluster, Redis } from 'ioredis';
import { expectTypeOf } from 'vitest';
import type { RedisAuditLog, RedisAuditLogOptions } from './RedisAuditLog.js';

expectTypeOf<RedisAuditLog>().toExtend<AuditLog>();
expectTypeOf<RedisAuditLog['export']>().toEqualTypeOf<
  (query: AuditQuery, format: AuditExportFormat) => AsyncGenerator<string>
>();
expectTypeOf<RedisAuditLog['query']>().returns.toEqualTypeOf<AsyncGenerator<AuditEvent>>();

expectTypeOf<RedisAuditLogOptions['redis']>().toEqualTypeOf<Redis | Cluster>();
expectTypeOf<RedisAuditLogOptions['retentionDays']>().toEqualTypeOf<
  number | ((tenantId: string) => number | Promise<number>) | undefined
>();
expectTypeOf<{
  redis: Cluster;
  retentionDays: () => Promise<number>;
}>().toExtend<RedisAuditLogOptions>();
// A client with `replyMapping: 'resp3'` is accepted too (XRANGE replies do not depend on it).
expectTypeOf<{ redis: Redis<'resp3'> }>().toExtend<RedisAuditLogOptions>();
expectTypeOf<{ redis: Cluster<'resp3'> }>().toExtend<RedisAuditLogOptions>();
expectTypeOf<{ prefix: string }>().not.toExtend<RedisAuditLogOptions>();
expectTypeOf<{ redis: Redis; retentionDays: string }>().not.toExtend<RedisAuditLogOptions>();
