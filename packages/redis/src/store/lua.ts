/**
 * @internal
 * The Lua side of RedisStore. Every script touches only keys passed in KEYS, all of them in one
 * hash-tag slot, so each runs atomically on Redis Cluster too. Records are MessagePack arrays
 * (see codec.ts; Lua indexes are the codec's FIELD + 1). Scripts return integers and bulk
 * strings only — no booleans or nils — so RESP2 and RESP3 replies read the same.
 */

// Shared helpers, prepended to every script that needs them.
const PRELUDE = `
local S_PENDING, S_APPROVED, S_EXPIRED, S_MAX_ATTEMPTS, S_CANCELED = 0, 1, 2, 3, 4
local TENANT, PURPOSE, SUBJECT, DHASH, CHANNELS, CHANNEL = 2, 3, 4, 9, 10, 11
local STATUS, ATTEMPTS, MAX_ATTEMPTS, SENDS, MAX_SENDS, COOLDOWN = 12, 13, 14, 15, 16, 17
local HASHES, FLIMIT, FWINDOW, CREATED, TTL, LAST_SENT, DELIVERIES = 20, 21, 22, 23, 24, 25, 26
local FLOCK = 28

local function fmt(n) return string.format('%.0f', n) end

local function load(key)
  local raw = redis.call('GET', key)
  if not raw then return nil end
  return cmsgpack.unpack(raw)
end

local function save(key, r)
  local packed = cmsgpack.pack(r)
  redis.call('SET', key, packed, 'KEEPTTL')
  return packed
end

local function channel_index(r, name)
  for i, channel in ipairs(r[CHANNELS]) do
    if channel == name then return i - 1 end
  end
  return -1
end

-- Counters are "count:resetAtMs" strings, judged against the caller's clock (so a window means
-- the same in every process and under a test's manual clock); Redis TTLs only clean them up.
local function parse_counter(value, now)
  if not value then return 0, 0 end
  local sep = string.find(value, ':', 1, true)
  local count, reset = tonumber(string.sub(value, 1, sep - 1)), tonumber(string.sub(value, sep + 1))
  if now >= reset then return 0, 0 end
  return count, reset
end

local function counter(key, now)
  return parse_counter(redis.call('GET', key), now)
end

local function add_counter(key, cost, window_ms, now)
  local count, reset = counter(key, now)
  if count == 0 then reset = now + window_ms end
  redis.call('SET', key, fmt(count + cost) .. ':' .. fmt(reset), 'PX', fmt(reset - now))
end

-- Failure budgets are "count:resetAtMs:lockedUntilMs" (core's budgetFailure, step for step): a
-- destination's in its shard's hash (field "<destination hash>:<owner>"), an app's under its own
-- key. A budget refuses while now < lockedUntil.
local function parse_budget(value, now)
  if not value then return 0, 0, 0 end
  local a = string.find(value, ':', 1, true)
  local b = string.find(value, ':', a + 1, true)
  local count = tonumber(string.sub(value, 1, a - 1))
  local reset = tonumber(string.sub(value, a + 1, b and b - 1 or -1))
  local locked = 0
  if b then locked = tonumber(string.sub(value, b + 1)) end
  if now >= reset then return 0, 0, 0 end
  return count, reset, locked
end

-- One more failure: every limit-th locks, for lock_ms doubled per lock taken in the window, never
-- past its end; the lock that would let the count pass 100 (NIST SP 800-63B), or any lock when
-- lock_ms is 0, lasts until the window ends.
local function budget_failure(count, reset, locked, limit, window_ms, lock_ms, now)
  if count == 0 then reset, locked = now + window_ms, 0 end
  count = count + 1
  if count % limit == 0 then
    if lock_ms <= 0 or count + limit > 100 then
      locked = reset
    else
      locked = math.min(reset, now + lock_ms * 2 ^ (count / limit - 1))
    end
  end
  return count, reset, locked
end

local function budget_value(count, reset, locked)
  return fmt(count) .. ':' .. fmt(reset) .. ':' .. fmt(locked)
end

-- Writes a destination budget after a failure, given the count read before it. Only a new window
-- touches the key's TTL (and prunes spent fields), so a repeated wrong code costs one HSET.
local function save_failure(key, field, window_ms, now, before, count, reset, locked)
  redis.call('HSET', key, field, budget_value(count, reset, locked))
  if before > 0 then return end
  if redis.call('PTTL', key) < window_ms then redis.call('PEXPIRE', key, window_ms) end
  if redis.call('HLEN', key) > 8 then
    local all = redis.call('HGETALL', key)
    for i = 1, #all, 2 do
      if parse_budget(all[i + 1], now) == 0 then redis.call('HDEL', key, all[i]) end
    end
  end
end

-- The budget field of a record: its destination, and who the budget belongs to (tenant and
-- subject, none for anonymous sends), as core's failureBudgetKey names it.
local function budget_field(r)
  local subject = r[SUBJECT]
  if type(subject) ~= 'string' then subject = '' end
  return r[DHASH] .. ':' .. string.sub(redis.sha1hex(r[TENANT] .. '\0' .. subject), 1, 16)
end
`;

// Tallies (core's TallyOp): a hash per tally. Fields: '<family><bucket>' counts, and the running
// sums '=<family>' of the judged range, whose first and last buckets are 'o' and 'j'. Each read
// moves that range along by the buckets that matured or left the window since the last one, so a
// read costs the same whatever the window's length. Two ARGV strings (one argument each, however
// many ops: every argument costs the client a write): the shapes, ';'-separated, each
// 'families/bucketMs/windowMs/graceMs' (families space-separated), and the ops, ';'-separated,
// each 'family,addAt,addCount,code' (addAt '' for no add; code = shape index (0-based) * 4 +
// always * 2 + judged).
const TALLY = `
local function tally_ops(shapes_spec, ops_spec)
  local ops = {}
  if ops_spec == nil or ops_spec == '' then return ops end
  local shapes = {}
  for families, bucket, window, grace in string.gmatch(shapes_spec, '([^/;]*)/([^/;]*)/([^/;]*)/([^/;]*)') do
    local list = {}
    for name in string.gmatch(families, '%S+') do list[#list + 1] = name end
    shapes[#shapes + 1] = {
      families = list,
      bucket = tonumber(bucket),
      window = tonumber(window),
      grace = tonumber(grace),
    }
  end
  for family, at, count, code in string.gmatch(ops_spec, '([^,;]*),([^,;]*),([^,;]*),([^,;]*)') do
    code = tonumber(code)
    ops[#ops + 1] = {
      family = family,
      at = tonumber(at),
      count = tonumber(count),
      always = math.floor(code / 2) % 2 == 1,
      judged = code % 2 == 1,
      shape = shapes[math.floor(code / 4) + 1],
    }
  end
  return ops
end

-- The judged range at now: the first and last bucket.
local function tally_range(shape, now)
  return math.ceil((now - shape.window) / shape.bucket), math.floor((now - shape.grace) / shape.bucket) - 1
end

local function tally_fields(families, from, to)
  local fields = {}
  for bucket = from, to do
    for _, family in ipairs(families) do fields[#fields + 1] = family .. bucket end
  end
  return fields
end

-- Brings a tally's running sums to the judged range at now and returns them (by family), with the
-- range they now cover.
local function tally_judge(key, shape, now)
  local families = shape.families
  local first, last = tally_range(shape, now)
  local ask = {'j', 'o'}
  for i, family in ipairs(families) do ask[i + 2] = '=' .. family end
  local state = redis.call('HMGET', key, unpack(ask))
  local j, o = tonumber(state[1]), tonumber(state[2])
  local sums = {}
  for i, family in ipairs(families) do sums[family] = tonumber(state[i + 2]) or 0 end
  if j ~= nil and last <= j and first <= o then return sums, j, o end
  local function fold(from, to, sign)
    if to < from then return end
    local values = redis.call('HMGET', key, unpack(tally_fields(families, from, to)))
    local i = 0
    for _ = from, to do
      for _, family in ipairs(families) do
        i = i + 1
        if values[i] then sums[family] = sums[family] + sign * tonumber(values[i]) end
      end
    end
  end
  if j == nil or first > j then
    -- Nothing judged before is still in the window (a new tally, or one idle for a window).
    for _, family in ipairs(families) do sums[family] = 0 end
    if o ~= nil then
      for _, name in ipairs(redis.call('HKEYS', key)) do
        local bucket = tonumber(string.match(name, '^%a+(%-?%d+)$'))
        if bucket and bucket < first then redis.call('HDEL', key, name) end
      end
    end
    fold(first, last, 1)
    j, o = last, first
  else
    if last > j then
      fold(j + 1, last, 1)
      j = last
    end
    if first > o then
      fold(o, first - 1, -1)
      redis.call('HDEL', key, unpack(tally_fields(families, o, first - 1)))
      o = first
    end
  end
  local write = {'j', j, 'o', o}
  for _, family in ipairs(families) do
    write[#write + 1] = '=' .. family
    write[#write + 1] = sums[family]
  end
  redis.call('HSET', key, unpack(write))
  return sums, j, o
end

-- An add: to its bucket, and to the running sum when the bucket is in the range it covers. j and o
-- are the covered range when known (nil: read them).
local function tally_add(key, op, now, j, o)
  local shape = op.shape
  local bucket = math.floor(op.at / shape.bucket)
  if bucket < tally_range(shape, now) then return end
  if redis.call('HINCRBY', key, op.family .. bucket, op.count) == op.count then
    local life = (bucket + 1) * shape.bucket + shape.window - now
    if redis.call('PTTL', key) < life then redis.call('PEXPIRE', key, fmt(life)) end
  end
  if j == nil then
    local marks = redis.call('HMGET', key, 'j', 'o')
    j, o = tonumber(marks[1]), tonumber(marks[2])
  end
  if j ~= nil and bucket <= j and bucket >= o then redis.call('HINCRBY', key, '=' .. op.family, op.count) end
end

-- Applies the ops (KEYS at keys): each key judged once when an op asks for its sum, then its adds
-- (those without always only when allowed). Returns the judged sums, one per op.
local function tally_apply(keys, ops, allowed, now)
  local judged, out = {}, {}
  for t, op in ipairs(ops) do
    local key = keys[t]
    if allowed and op.judged and not judged[key] then
      local sums, j, o = tally_judge(key, op.shape, now)
      judged[key] = {sums = sums, j = j, o = o}
    end
  end
  for t, op in ipairs(ops) do
    local seen = judged[keys[t]]
    if op.at and (allowed or op.always) then tally_add(keys[t], op, now, seen and seen.j, seen and seen.o) end
    out[t] = 0
    if allowed and op.judged and seen then out[t] = seen.sums[op.family] or 0 end
  end
  return out
end
`;

/**
 * KEYS: counter keys (plain counters, app budgets, or the shard's failure hash), then tally keys,
 * then optionally an opt-out set, then optionally a new verification's record key. ARGV: now, the
 * number of counter keys, '1' when the opt-out set is there, the packed record ('' for none), its
 * time to live (ms), the counters as one string — ';'-separated, each 'field,limit,windowMs,cost,
 * lockMs' (field '' for a key of its own; lockMs -1 for a plain counter, a budget otherwise) — then
 * the tallies' shapes and ops (see TALLY). All-or-nothing for the counters; a tally's `always` add
 * is made either way. Returns {1, created (0/1), tally count, tally sums…, opted-out media…} or {0,
 * index (1-based), retryAfterMs}. The record is created (SET NX) only when every counter allows
 * and the opt-out set is empty.
 */
export const HIT_COUNTERS = `${PRELUDE}${TALLY}
local now, counters = tonumber(ARGV[1]), tonumber(ARGV[2])
local specs = {}
for field, limit, window, cost, lock in string.gmatch(ARGV[6], '([^,;]*),([^,;]*),([^,;]*),([^,;]*),([^,;]*)') do
  specs[#specs + 1] = {field, tonumber(limit), tonumber(window), tonumber(cost), tonumber(lock)}
end
local tally_list = tally_ops(ARGV[7], ARGV[8])
local tallies = #tally_list
local tally_keys = {}
for t = 1, tallies do tally_keys[t] = KEYS[counters + t] end
-- What each counter held, read once: the second pass writes from it (a key listed twice is read
-- again after its first write).
local held = {}
local function read(key, field)
  local name = key .. '\0' .. field
  local value = held[name]
  if value == nil then
    if field == '' then value = redis.call('GET', key) else value = redis.call('HGET', key, field) end
    held[name] = value
  end
  return value
end
local denied, wait = 0, 0
for i = 1, counters do
  local key, spec = KEYS[i], specs[i]
  local field, limit, lock = spec[1], spec[2], spec[5]
  local blocked = 0
  if lock >= 0 then
    local _, _, locked = parse_budget(read(key, field), now)
    if now < locked then blocked = locked end
  else
    local count, reset = parse_budget(read(key, field), now)
    if count + 1 > limit then blocked = reset end
  end
  if blocked > 0 and blocked - now > wait then denied, wait = i, blocked - now end
end
if denied > 0 then
  tally_apply(tally_keys, tally_list, false, now)
  return {0, denied, wait}
end
for i = 1, counters do
  local key, spec = KEYS[i], specs[i]
  local field, limit, window, cost, lock = spec[1], spec[2], spec[3], spec[4], spec[5]
  if cost > 0 and lock >= 0 then
    local before, reset, locked = parse_budget(read(key, field), now)
    local count
    count, reset, locked = budget_failure(before, reset, locked, limit, window, lock, now)
    held[key .. '\0' .. field] = nil
    if field == '' then
      redis.call('SET', key, budget_value(count, reset, locked), 'PX', fmt(reset - now))
    else
      save_failure(key, field, window, now, before, count, reset, locked)
    end
  elseif cost > 0 and field == '' then
    local count, reset = parse_budget(read(key, field), now)
    if count == 0 then reset = now + window end
    held[key .. '\0'] = nil
    redis.call('SET', key, fmt(count + cost) .. ':' .. fmt(reset), 'PX', fmt(reset - now))
  end
end
local reply = {1, 0, tallies}
for _, sum in ipairs(tally_apply(tally_keys, tally_list, true, now)) do table.insert(reply, sum) end
local fixed = #reply
if ARGV[3] == '1' then
  for _, medium in ipairs(redis.call('SMEMBERS', KEYS[counters + tallies + 1])) do table.insert(reply, medium) end
end
if ARGV[4] ~= '' and #reply == fixed and redis.call('SET', KEYS[#KEYS], ARGV[4], 'PX', ARGV[5], 'NX') then
  reply[2] = 1
end
return reply
`;

/**
 * Tallies alone, where they live in other slots than the counters (Redis Cluster). KEYS: tally
 * keys. ARGV: now, '1' when the counters allowed, the tallies' shapes and ops (see TALLY). Returns
 * the sums.
 */
export const TALLIES = `${PRELUDE}${TALLY}
local now, allowed = tonumber(ARGV[1]), ARGV[2] == '1'
return tally_apply(KEYS, tally_ops(ARGV[3], ARGV[4]), allowed, now)
`;

/**
 * Gives back what HIT_COUNTERS took from plain counters, when another slot's counters refused
 * (Redis Cluster) or a check's reservation was approved. A budget's failure is not given back.
 * KEYS and ARGV as HIT_COUNTERS' counters, after now.
 */
export const REFUND_COUNTERS = `${PRELUDE}
local now = tonumber(ARGV[1])
for i, key in ipairs(KEYS) do
  local base = 1 + (i - 1) * 5
  local field, cost, lock = ARGV[base + 1], tonumber(ARGV[base + 4]), tonumber(ARGV[base + 5])
  if cost > 0 and field == '' and lock < 0 then
    local count, reset = counter(key, now)
    if count >= cost then
      redis.call('SET', key, fmt(count - cost) .. ':' .. fmt(reset), 'KEEPTTL')
    end
  end
end
return {1}
`;

/** KEYS: record. ARGV: packed record, time to live (ms). Returns {1}, or {0} when the id exists. */
export const CREATE = `
if redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return {1} end
return {0}
`;

/**
 * KEYS: record, shard failure hash (the record's budget is its field "<destination hash>:<owner>"),
 * then the counters the check is charged to (plain window
 * counters; on one Redis they may sit in any slot). ARGV: now, tenant, purpose, subject ('' = not
 * bound), the number of counters n, then per counter limit and windowMs, then the candidates.
 * Returns {0} (not_found), {6, counter index (1-based), retryAfterMs} (a counter is full: nothing
 * read or spent), or {outcome, transitioned, evaluated, record}; outcome 1 approved, 2 failed,
 * 3 expired, 4 max_attempts, 5 canceled. Every answer but 6 and approved adds one to each counter.
 */
export const CHECK = `${PRELUDE}
local now, n = tonumber(ARGV[1]), tonumber(ARGV[5])
local first = 6 + 2 * n
local denied, wait = 0, 0
for i = 1, n do
  local count, reset = counter(KEYS[2 + i], now)
  if count + 1 > tonumber(ARGV[4 + 2 * i]) and (denied == 0 or reset - now > wait) then
    denied, wait = i, reset - now
  end
end
if denied > 0 then return {6, denied, wait} end
local function charged(reply)
  for i = 1, n do add_counter(KEYS[2 + i], 1, tonumber(ARGV[5 + 2 * i]), now) end
  return reply
end
local raw = redis.call('GET', KEYS[1])
if not raw then return charged({0}) end
local r = cmsgpack.unpack(raw)
local status = r[STATUS]
if status == S_APPROVED then return charged({0}) end
if (ARGV[2] ~= '' and ARGV[2] ~= r[TENANT]) or (ARGV[3] ~= '' and ARGV[3] ~= r[PURPOSE])
  or (ARGV[4] ~= '' and ARGV[4] ~= r[SUBJECT]) then
  return charged({0})
end
if status == S_CANCELED then return charged({5, 0, 0, raw}) end
if status == S_MAX_ATTEMPTS then return charged({4, 0, 0, raw}) end
if status == S_EXPIRED then return charged({3, 0, 0, raw}) end
if now >= r[CREATED] + r[TTL] then
  r[STATUS] = S_EXPIRED
  return charged({3, 1, 0, save(KEYS[1], r)})
end
local field = budget_field(r)
local spent, reset, locked = parse_budget(redis.call('HGET', KEYS[2], field), now)
if r[ATTEMPTS] >= r[MAX_ATTEMPTS] or now < locked then
  r[STATUS] = S_MAX_ATTEMPTS
  return charged({4, 1, 0, save(KEYS[1], r)})
end
r[ATTEMPTS] = r[ATTEMPTS] + 1
local match = false
for _, stored in ipairs(r[HASHES]) do
  for j = first, #ARGV do
    if stored == ARGV[j] then match = true end
  end
end
if match then
  r[STATUS] = S_APPROVED
  if spent > 0 then redis.call('HDEL', KEYS[2], field) end
  return {1, 1, 1, save(KEYS[1], r)}
end
local window, lock = r[FWINDOW] * 1000, r[FLOCK]
if type(lock) ~= 'number' then lock = 0 end
local count
count, reset, locked = budget_failure(spent, reset, locked, r[FLIMIT], window, lock * 1000, now)
save_failure(KEYS[2], field, window, now, spent, count, reset, locked)
local locked = 0
if r[ATTEMPTS] >= r[MAX_ATTEMPTS] then
  r[STATUS] = S_MAX_ATTEMPTS
  locked = 1
end
return charged({2, locked, 1, save(KEYS[1], r)})
`;

/**
 * KEYS: record. ARGV: now, code hash, channel, enforce cooldown (1/0), expected channel ('' = any).
 * Returns {1, 0, record} ok, {2} not_found, {3, 0, record} not_pending, {4, 0, record} max_sends,
 * {5, 0, record} channel_changed, {6, retryAfterMs, record} cooldown, {7} unknown channel.
 */
export const ADD_SEND = `${PRELUDE}
local now = tonumber(ARGV[1])
local raw = redis.call('GET', KEYS[1])
if not raw then return {2} end
local r = cmsgpack.unpack(raw)
if r[STATUS] ~= S_PENDING or now >= r[CREATED] + r[TTL] then return {3, 0, raw} end
if ARGV[5] ~= '' and r[CHANNELS][r[CHANNEL] + 1] ~= ARGV[5] then return {5, 0, raw} end
if r[SENDS] >= r[MAX_SENDS] then return {4, 0, raw} end
if ARGV[4] == '1' then
  local ready = r[CREATED] + r[LAST_SENT] + r[COOLDOWN] * 1000 * (2 ^ (r[SENDS] - 1))
  if now < ready then return {6, ready - now, raw} end
end
local index = channel_index(r, ARGV[3])
if index < 0 then return {7} end
r[SENDS] = r[SENDS] + 1
table.insert(r[HASHES], ARGV[2])
r[CHANNEL] = index
r[LAST_SENT] = now - r[CREATED]
return {1, 0, save(KEYS[1], r)}
`;

/**
 * KEYS: record, and on a single Redis the message index (on a Cluster the index is in another
 * slot and is written separately). ARGV: now, channel, provider message id ('' = none), status
 * code, error code (''), index TTL ms, verification id.
 * Returns {1}, {0} when the record is gone, {7} for an unknown channel.
 */
export const RECORD_DISPATCH = `${PRELUDE}
local now = tonumber(ARGV[1])
if KEYS[2] then redis.call('SET', KEYS[2], ARGV[7], 'PX', ARGV[6]) end
local r = load(KEYS[1])
if not r then return {0} end
local index = channel_index(r, ARGV[2])
if index < 0 then return {7} end
r[CHANNEL] = index
local message = false
if ARGV[3] ~= '' then message = ARGV[3] end
local err = false
if ARGV[5] ~= '' then err = ARGV[5] end
local offset = now - r[CREATED]
table.insert(r[DELIVERIES], {index, message, tonumber(ARGV[4]), offset, offset, err})
save(KEYS[1], r)
return {1}
`;

/**
 * KEYS: record. ARGV: now, channel, provider message id, status code, error code ('').
 * Returns {0} unknown, or {1, applied, previous status, is current, delivery index (1-based), record}.
 */
export const RECORD_DELIVERY = `${PRELUDE}
-- Ranks of delivery codes: queued sending sent delivered undelivered failed canceled read.
local RANK = {0, 1, 2, 3, 3, 3, 3, 4}
local FINAL = {[3] = true, [4] = true, [5] = true, [6] = true, [7] = true}
local now = tonumber(ARGV[1])
local r = load(KEYS[1])
if not r then return {0} end
local index = channel_index(r, ARGV[2])
local found = 0
for i, d in ipairs(r[DELIVERIES]) do
  if d[1] == index and d[2] == ARGV[3] then found = i end
end
if found == 0 then return {0} end
local d = r[DELIVERIES][found]
local previous, next = d[3], tonumber(ARGV[4])
local applied = 0
if previous ~= next then
  if FINAL[previous] then
    if previous == 3 and next == 7 then applied = 1 end
  elseif RANK[next + 1] > RANK[previous + 1] then
    applied = 1
  end
end
local current = 0
if r[CHANNEL] == index and found == #r[DELIVERIES] then current = 1 end
if applied == 0 then return {1, 0, previous, current, found, cmsgpack.pack(r)} end
d[3] = next
d[5] = now - r[CREATED]
if ARGV[5] ~= '' then d[6] = ARGV[5] end
return {1, 1, previous, current, found, save(KEYS[1], r)}
`;

/** KEYS: record. ARGV: now, target ('canceled' | 'expired'). Returns {0} or {1, changed, record}. */
export const TRANSITION = `${PRELUDE}
local now = tonumber(ARGV[1])
local raw = redis.call('GET', KEYS[1])
if not raw then return {0} end
local r = cmsgpack.unpack(raw)
if r[STATUS] ~= S_PENDING then return {1, 0, raw} end
if ARGV[2] == 'canceled' then
  r[STATUS] = S_CANCELED
elseif now >= r[CREATED] + r[TTL] then
  r[STATUS] = S_EXPIRED
else
  return {1, 0, raw}
end
return {1, 1, save(KEYS[1], r)}
`;
