import {
  type AuditLog,
  MemoryAuditLog,
  MemoryStore,
  type Scheduler,
  type Store,
} from '@checkpoint/core';
import { type FactorStore, MemoryFactorStore } from '@checkpoint/factors';
import { RedisFactorStore } from '@checkpoint/factors/redis';
import { BullMQScheduler, createRedisStore, RedisAuditLog, redisOptions } from '@checkpoint/redis';
import { RedisStore as RedisSessionStore } from 'connect-redis';
import type { Store as SessionStore } from 'express-session';
import { Redis } from 'ioredis';
import { createClient } from 'redis';

/** Where the demo keeps its state: in the process, or in Redis. */
export interface Backends {
  kind: 'memory' | 'redis';
  store: Store;
  auditLog: AuditLog;
  /** Authenticator apps, recovery codes and remembered browsers (@checkpoint/factors). */
  factorStore: FactorStore;
  /** Fallback and expiry timers; BullMQ on Redis, core's in-process one otherwise. */
  scheduler?: Scheduler;
  /** express-session's store; its MemoryStore when undefined. */
  sessionStore?: SessionStore;
  close(): Promise<void>;
}

/**
 * One process, nothing to install: core's MemoryStore and MemoryAuditLog, MemoryFactorStore,
 * express-session's MemoryStore.
 */
export function memoryBackends(): Backends {
  return {
    kind: 'memory',
    store: new MemoryStore(),
    auditLog: new MemoryAuditLog(),
    factorStore: new MemoryFactorStore(),
    close: async () => {},
  };
}

/**
 * Everything in Redis, so several processes can serve the app: RedisStore (verifications, velocity
 * counters, WebAuthn challenges, SSO transactions), RedisAuditLog (Streams), RedisFactorStore
 * (sealed TOTP secrets, hashed recovery codes, remembered browsers), BullMQ timers, and sessions
 * through connect-redis (which takes a node-redis client; Checkpoint takes ioredis).
 */
export async function redisBackends(url: string, prefix: string): Promise<Backends> {
  const redis = new Redis(url, redisOptions());
  const sessions = createClient({ url });
  try {
    const store = await createRedisStore({ redis, prefix }); // refuses an evicting maxmemory-policy
    await sessions.connect();
    return {
      kind: 'redis',
      store,
      auditLog: new RedisAuditLog({ redis, prefix }),
      factorStore: new RedisFactorStore({ redis, prefix: `${prefix}factors:` }),
      scheduler: new BullMQScheduler({ connection: redis, prefix: `{${prefix}bullmq}` }),
      sessionStore: new RedisSessionStore({ client: sessions, prefix: `${prefix}sess:` }),
      close: async () => {
        await sessions.close();
        redis.disconnect();
      },
    };
  } catch (error) {
    redis.disconnect();
    if (sessions.isOpen) await sessions.close();
    throw error;
  }
}
