-- Included (by dev.sigil.redis.LuaScript, at its '--#include lockout' line) into the scripts that record a failed
-- check (login-settle.lua, client-failed.lua): one definition of the lockout, since a Redis script cannot load another.
-- Records one failure in a failures hash {n, until}: from the threshold on, each further failure locks for twice as
-- long as the last (base, 2 x base, ... up to max ms); the counter forgets after the window (ms) without a failure.
-- Returns the lockout now in force, in ms (0 if none).
local function recordFailure(key, threshold, base, max, window)
    local t = redis.call('TIME')
    local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
    local n = redis.call('HINCRBY', key, 'n', 1)
    local wait = 0
    if n >= threshold then
        wait = math.min(base * 2 ^ (n - threshold), max)
        redis.call('HSET', key, 'until', now + wait)
    end
    redis.call('PEXPIRE', key, math.max(window, wait))
    return wait
end
