import type { Cluster, Redis } from 'ioredis';

/**
 * @internal
 * A Worker blocks on its connection and must retry forever across reconnects: BullMQ refuses a
 * client with `maxRetriesPerRequest` set, and a `commandTimeout` would cut its blocking reads.
 * The app's connection usually has both, so the Worker gets a lazy copy without them (BullMQ
 * duplicates it again for the connections it owns).
 */
export function workerConnection(connection: Redis | Cluster): Redis | Cluster {
  if (connection.isCluster) {
    return (connection as Cluster).duplicate([], {
      lazyConnect: true,
      enableOfflineQueue: true,
      redisOptions: { maxRetriesPerRequest: null, commandTimeout: undefined },
    });
  }
  return (connection as Redis).duplicate({
    lazyConnect: true,
    maxRetriesPerRequest: null,
    commandTimeout: undefined,
    enableOfflineQueue: true,
  });
}
