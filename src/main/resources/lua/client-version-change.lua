-- Brackets an admin change of a client's record (see ClientTokenStore). 'begin', before the change writes
-- PostgreSQL, counts it in flight: while any is, no replica caches the client's record (client-check.lua
-- returns the changes in flight). 'end', once it has committed or failed, uncounts it; the last one out sets a new
-- version, so every copy cached before is dropped at its next use. An 'end' that never comes (Redis
-- unreachable, a crash) leaves the record uncached until the hash expires: fail closed.
-- 'init' gives an existing client whose version Redis does not hold (expired after a day unused, lost with
-- Redis' data) the new version, unless a change began meanwhile; the caller caches its record only when it did.
-- KEYS: 1 sigil:{c:<client>}:v  the client's record version, hash {v = version, n = changes in flight}
-- ARGV: 1 'begin', 'end' or 'init', 2 new version (end, init), 3 lifetime ms while changes are in flight, 4 lifetime ms of a version
-- Returns the changes still in flight; for 'init', 1 when it set the version, else 0.
if ARGV[1] == 'init' then
    if redis.call('HSETNX', KEYS[1], 'v', ARGV[2]) == 0 then
        return 0
    end
    redis.call('PEXPIRE', KEYS[1], ARGV[4])
    return 1
end
if ARGV[1] == 'begin' then
    local n = redis.call('HINCRBY', KEYS[1], 'n', 1)
    redis.call('PEXPIRE', KEYS[1], ARGV[3])
    return n
end
local n = redis.call('HINCRBY', KEYS[1], 'n', -1)
if n > 0 then
    return n
end
redis.call('HSET', KEYS[1], 'n', 0, 'v', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 0
