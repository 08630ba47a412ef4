-- Settles a reservation of login-reserve.lua once the password check is done.
-- 'succeeded' resets the (username, address) failures; 'failed' records a failure of (username, address)
-- (the lockout: lockout.lua) and of the username from anywhere, both forgotten after the window; 'released'
-- (no answer: an outage, a cancelled request) only frees the reservation.
-- KEYS: 1 sigil:rl:{<name>}:fail:<address>  failures of (username, address), hash {n, until}
--       2 sigil:rl:{<name>}:user            failures of the username from anywhere
--       3 sigil:rl:{<name>}:busy:<address>  checks in flight for (username, address)
--       4 sigil:rl:{<name>}:busy            checks in flight for the username
-- ARGV: 1 reservation id, 2 outcome, 3 threshold, 4 base ms, 5 max ms, 6 window ms
-- Returns the lockout now in force, in ms (0 if none).
--#include lockout
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('ZREM', KEYS[4], ARGV[1])
if ARGV[2] == 'succeeded' then
    redis.call('DEL', KEYS[1])
    return 0
end
if ARGV[2] ~= 'failed' then
    return 0
end
local wait = recordFailure(KEYS[1], tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]))
if redis.call('INCR', KEYS[2]) == 1 then
    redis.call('PEXPIRE', KEYS[2], ARGV[6])
end
return wait
