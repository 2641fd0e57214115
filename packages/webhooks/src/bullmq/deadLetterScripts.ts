/**
 * @internal
 * Files a dead letter (KEYS[1] hash, KEYS[2] the tenant's sorted set by failure time) and drops
 * the tenant's oldest past the cap (ARGV: id, JSON, failedAt, cap), in one step.
 */
export const ADD_DEAD_LETTER = `
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
local excess = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[4])
if excess > 0 then
  for _, id in ipairs(redis.call('ZRANGE', KEYS[2], 0, excess - 1)) do
    redis.call('HDEL', KEYS[1], id)
    redis.call('ZREM', KEYS[2], id)
  end
end
return 1`;

/**
 * @internal
 * Removes a dead letter from both keys; of any number of concurrent takers exactly one gets 1.
 */
export const TAKE_DEAD_LETTER = `
if redis.call('HDEL', KEYS[1], ARGV[1]) == 1 then
  redis.call('ZREM', KEYS[2], ARGV[1])
  return 1
end
return 0`;
