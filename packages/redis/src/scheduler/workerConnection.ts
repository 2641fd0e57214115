import { Cluster, Redis } from 'ioredis';

/**
 * @internal
 * Checks that `connection` is an ioredis client BullMQ can share; throws a `TypeError` that says
 * what to pass otherwise.
 */
export function assertConnection(
  connection: unknown,
  prefix: string,
): asserts connection is Redis | Cluster {
  if (!(connection instanceof Redis) && !(connection instanceof Cluster)) {
    throw new TypeError(
      'BullMQScheduler requires an ioredis connection: pass { connection: new Redis(url) } or a Cluster',
    );
  }
  // BullMQ builds its own keys from `prefix`; an ioredis keyPrefix would be added to some of
  // them (plain commands) and not to others (keys computed inside its Lua scripts).
  if (connection.options.keyPrefix) {
    throw new TypeError(
      'BullMQScheduler: the connection has an ioredis keyPrefix, which BullMQ cannot use; pass a connection without keyPrefix and set the scheduler `prefix` option instead',
    );
  }
  if (connection instanceof Cluster && !/\{[^}]+\}/.test(prefix)) {
    throw new TypeError(
      `BullMQScheduler: on Redis Cluster the prefix must contain a hash tag such as '{checkpoint}' (got '${prefix}'), so every key of the queue is in one slot`,
    );
  }
}

/**
 * @internal
 * The connection handed to BullMQ's Worker. A Worker blocks on its connection (BZPOPMIN) and
 * must retry forever across reconnects, so BullMQ refuses a client whose `maxRetriesPerRequest`
 * is not null, and a `commandTimeout` would cut its blocking reads short. The application's
 * connection usually has both (a store wants fast failures), so the Worker gets a copy without
 * them. The copy is lazy and never connects: BullMQ duplicates it again for its own two
 * connections (which it owns and closes), so this one only carries the options.
 */
export function workerConnection(connection: Redis | Cluster): Redis | Cluster {
  if (connection instanceof Cluster) {
    return connection.duplicate([], {
      lazyConnect: true,
      enableOfflineQueue: true,
      // Merged into the cluster's own redisOptions by ioredis.
      redisOptions: { maxRetriesPerRequest: null, commandTimeout: undefined },
    });
  }
  return connection.duplicate({
    lazyConnect: true,
    maxRetriesPerRequest: null,
    commandTimeout: undefined,
    enableOfflineQueue: true,
  });
}
