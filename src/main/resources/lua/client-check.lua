-- Reads what a client authentication needs from Redis, in one call that writes nothing for an id Redis
-- does not know (so unauthenticated callers naming made-up clients leave no state behind).
-- KEYS: 1 sigil:rl:{c:<client>}:fail:<address>  failures of (client, address), hash {n, until} (see client-failed.lua)
--       2 sigil:{c:<client>}:v                    the version of the client's record, hash {v, n} (see client-version-change.lua)
-- ARGV: 1 the version of the cached record the presented credential already matched, or '' for none,
--       2 lifetime ms of a version: a client in use keeps its version
-- Returns {1} when ARGV[1] is the current version and no admin change is in flight: the credential is right
-- against the current record, so its (client, address) failures are reset and the answer is settled here.
-- Otherwise {0, version or nil, changes in flight, ms the (client, address) lockout still runs, failures}:
-- a lockout does not refuse here, since a right credential is always served (Throttle#clientCheck).
local state = redis.call('HMGET', KEYS[2], 'v', 'n')
local pending = tonumber(state[2] or '0')
if state[1] and pending == 0 then
    redis.call('PEXPIRE', KEYS[2], ARGV[2])
end
local fail = redis.call('HMGET', KEYS[1], 'n', 'until')
if ARGV[1] ~= '' and state[1] == ARGV[1] and pending == 0 then
    if fail[1] then
        redis.call('DEL', KEYS[1])
    end
    return {1}
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return {0, state[1], pending, math.max(0, tonumber(fail[2] or '0') - now), tonumber(fail[1] or '0')}
