/**
 * ioredis options for a fail-closed store: no offline queue (a command while disconnected fails
 * at once instead of waiting for a reconnect), one retry, and a command timeout, so a lost or
 * hung Redis turns into `store_unavailable` within about a second instead of a hanging request.
 * Reconnection stays on: the same client works again when Redis returns.
 *
 * @example new Redis(process.env.REDIS_URL, redisOptions())
 */
export function redisOptions({
  commandTimeout = 1_000,
}: {
  commandTimeout?: number;
} = {}): FailClosedOptions {
  return {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout,
    connectTimeout: 2_000,
  };
}

/** The options {@link redisOptions} returns; spread them into `new Redis(url, { ...redisOptions(), … })`. */
export interface FailClosedOptions {
  enableOfflineQueue: false;
  maxRetriesPerRequest: number;
  commandTimeout: number;
  connectTimeout: number;
}
