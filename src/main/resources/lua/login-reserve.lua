-- Reserves one password check for (username, address) before the hash runs, so checks in flight count
-- like failures already made: however many guesses arrive at once, at most the threshold are checked.
-- KEYS: 1 sigil:rl:{<name>}:fail:<address>  failures of (username, address), hash {n, until}
--       2 sigil:rl:{<name>}:user            failures of the username from anywhere
--       3 sigil:rl:{<name>}:busy:<address>  checks in flight for (username, address) (zset: id -> expiry ms)
--       4 sigil:rl:{<name>}:busy            checks in flight for the username (zset: id -> expiry ms)
-- ARGV: 1 lockout threshold, 2 per-username ceiling, 3 reservation id, 4 reservation lifetime ms (the caller's
--       check answers within it, counted from before this call was sent, or not at all),
-- Returns 0 when reserved; ms to wait while locked or over the ceiling of failures; minus the ms to wait when
-- only the checks in flight fill the allowance (load, not failures: the caller answers 503, not 429).
-- (OAuth clients have scripts of their own: client-check.lua and client-failed.lua.)
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local lockedUntil = tonumber(redis.call('HGET', KEYS[1], 'until') or '0')
if lockedUntil > now then
    return lockedUntil - now
end
-- A reservation whose process died mid-check expires by itself.
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now)
-- Run again with the same reservation id (a call resent after its reply was lost): the reservation already
-- holds its place and must not be counted against itself.
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
local expires = now + tonumber(ARGV[4])
redis.call('ZADD', KEYS[3], expires, ARGV[3])
redis.call('ZADD', KEYS[4], expires, ARGV[3])
-- The newest reservation expires last, so the sets live exactly as long as their last entry.
redis.call('PEXPIRE', KEYS[3], ARGV[4])
redis.call('PEXPIRE', KEYS[4], ARGV[4])
return 0
