-- May this username be tried from this address now? (read-only)
-- KEYS: 1 failures of (username, address) hash {n, until}, 2 failures of the username from anywhere
-- ARGV: 1 per-username ceiling
-- Returns 0 when allowed, else ms to wait.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local lockedUntil = tonumber(redis.call('HGET', KEYS[1], 'until') or '0')
if lockedUntil > now then
    return lockedUntil - now
end
if tonumber(redis.call('GET', KEYS[2]) or '0') >= tonumber(ARGV[1]) then
    local ttl = redis.call('PTTL', KEYS[2])
    return ttl > 0 and ttl or 1000
end
return 0
