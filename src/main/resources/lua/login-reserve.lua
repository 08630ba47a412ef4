-- Reserves one password check for (username, address) before the hash runs, so checks in flight count
-- like failures already made: however many guesses arrive at once, at most the threshold are checked.
-- KEYS: 1 failures of (username, address) hash {n, until}, 2 failures of the username from anywhere,
--       3 checks in flight for (username, address), 4 checks in flight for the username (zsets: id -> expiry ms)
--       5 (client checks only) the version of the client's record, under the same hash tag (see client-version-change.lua)
-- ARGV: 1 lockout threshold, 2 per-username ceiling, 3 reservation id, 4 reservation lifetime ms (the caller's
--       check answers within it, counted from before this call was sent, or not at all),
--       5 (with KEYS[5]) lifetime ms of a version created here,
--       6 (with KEYS[5], optional) the version of the cached client record the caller's secret already matched
-- Returns 0 when reserved; ms to wait while locked or over the ceiling of failures; minus the ms to wait when
-- only the checks in flight fill the allowance (load, not failures: the caller answers 503, not 429); with KEYS[5], {0, version} when reserved, {0} while an admin
-- change of the client is in flight. A missing version (never set, expired, lost with Redis' data) is
-- created from the reservation id, a fresh random value: no record can have been cached under it yet.
-- When ARGV[6] is the current version and no change is in flight, the check already passed against the
-- current record: it is settled as 'succeeded' here (as login-settle.lua does) instead of reserved, and
-- {1, version} is returned: one round trip instead of reserve and settle. The refusals above still apply.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local lockedUntil = tonumber(redis.call('HGET', KEYS[1], 'until') or '0')
if lockedUntil > now then
    return lockedUntil - now
end
-- A reservation whose process died mid-check expires by itself.
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now)
-- Run again with the same reservation id (a client check is resent alone when its batch failed, see
-- CommandBatcher): the reservation already holds its place and must not be counted against itself.
local again = redis.call('ZSCORE', KEYS[3], ARGV[3])
-- Below the threshold, as many checks as failures remain; from it on (each lockout over), one at a time.
local failures = tonumber(redis.call('HGET', KEYS[1], 'n') or '0')
if not again and redis.call('ZCARD', KEYS[3]) >= math.max(tonumber(ARGV[1]) - failures, 1) then
    return -1000
end
local ceiling = tonumber(ARGV[2])
local userFailures = tonumber(redis.call('GET', KEYS[2]) or '0')
if userFailures >= ceiling then
    local ttl = redis.call('PTTL', KEYS[2])
    return ttl > 0 and ttl or 1000
end
if not again and userFailures + redis.call('ZCARD', KEYS[4]) >= ceiling then
    return -1000
end
local state
if KEYS[5] then
    state = redis.call('HMGET', KEYS[5], 'v', 'n')
    if ARGV[6] and ARGV[6] ~= '' and state[1] == ARGV[6] and tonumber(state[2] or '0') == 0 then
        redis.call('DEL', KEYS[1])
        return {1, state[1]}
    end
end
local expires = now + tonumber(ARGV[4])
redis.call('ZADD', KEYS[3], expires, ARGV[3])
redis.call('ZADD', KEYS[4], expires, ARGV[3])
-- The newest reservation expires last, so the sets live exactly as long as their last entry.
redis.call('PEXPIRE', KEYS[3], ARGV[4])
redis.call('PEXPIRE', KEYS[4], ARGV[4])
if KEYS[5] then
    if tonumber(state[2] or '0') > 0 then
        return {0}
    end
    local version = state[1]
    if not version then
        version = ARGV[3]
        redis.call('HSET', KEYS[5], 'v', version)
        redis.call('PEXPIRE', KEYS[5], ARGV[5])
    end
    return {0, version}
end
return 0
