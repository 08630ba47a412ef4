-- Records a failed authentication of an existing client from one address (client-check.lua reads it).
-- From the threshold on, each further failure locks (client, address) for twice as long as the last
-- (base, 2 x base, ... up to max); the counter forgets after the window without a failure. The lockout
-- refuses wrong credentials only: a right one is always served and resets the counter.
-- KEYS: 1 failures of (client, address) hash {n, until}
-- ARGV: 1 threshold, 2 base ms, 3 max ms, 4 window ms
-- Returns the lockout now in force, in ms (0 if none).
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local n = redis.call('HINCRBY', KEYS[1], 'n', 1)
local wait = 0
if n >= tonumber(ARGV[1]) then
    wait = math.min(tonumber(ARGV[2]) * 2 ^ (n - tonumber(ARGV[1])), tonumber(ARGV[3]))
    redis.call('HSET', KEYS[1], 'until', now + wait)
end
redis.call('PEXPIRE', KEYS[1], math.max(tonumber(ARGV[4]), wait))
return wait
