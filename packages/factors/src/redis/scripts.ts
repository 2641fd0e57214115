/**
 * @internal
 * Lua scripts of RedisFactorStore. Each touches only the keys it is given (KEYS), all in one
 * owner's hash slot, so every script runs on Redis Cluster.
 */
export const SCRIPTS = {
  // KEYS[1] totp hash; ARGV id, step, now -> 1 (activated) or 0
  cpfActivateTotp: `
if redis.call('HGET', KEYS[1], 'pendingId') ~= ARGV[1] then return 0 end
local expires = tonumber(redis.call('HGET', KEYS[1], 'pendingExp'))
if expires == nil or tonumber(ARGV[3]) >= expires then return 0 end
local record = redis.call('HGET', KEYS[1], 'pending')
redis.call('HSET', KEYS[1], 'active', record, 'activeId', ARGV[1], 'last', ARGV[2], 'confirmedAt', ARGV[3])
redis.call('HDEL', KEYS[1], 'pending', 'pendingId', 'pendingExp')
return 1`,
  // KEYS[1] totp hash; ARGV id, step, resealed record ('' = keep) -> 1 (a step later than any accepted) or 0
  cpfUseTotpStep: `
if redis.call('HGET', KEYS[1], 'activeId') ~= ARGV[1] then return 0 end
local last = tonumber(redis.call('HGET', KEYS[1], 'last'))
if last ~= nil and tonumber(ARGV[2]) <= last then return 0 end
redis.call('HSET', KEYS[1], 'last', ARGV[2])
if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], 'active', ARGV[3]) end
return 1`,
  // KEYS[1] totp hash; ARGV id or '' -> 1 (removed) or 0
  cpfDeleteTotp: `
local active = redis.call('HGET', KEYS[1], 'activeId')
if not active then return 0 end
if ARGV[1] ~= '' and active ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1`,
  // KEYS[1] code set, KEYS[2] its creation time; ARGV createdAt, hashes… -> 1
  cpfReplaceCodes: `
redis.call('DEL', KEYS[1], KEYS[2])
if #ARGV > 1 then
  redis.call('SADD', KEYS[1], unpack(ARGV, 2))
  redis.call('SET', KEYS[2], ARGV[1])
end
return 1`,
  // KEYS[1] code set; ARGV candidate hashes -> codes left after removing one, or -1 when none matched
  cpfUseCode: `
for i = 1, #ARGV do
  if redis.call('SREM', KEYS[1], ARGV[i]) == 1 then return redis.call('SCARD', KEYS[1]) end
end
return -1`,
  // KEYS[1] devices hash -> how many were there (all removed)
  cpfDeleteDevices: `
local count = redis.call('HLEN', KEYS[1])
redis.call('DEL', KEYS[1])
return count`,
} as const;

/** @internal */
export type ScriptName = keyof typeof SCRIPTS;
