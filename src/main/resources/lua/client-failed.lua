-- Records a failed authentication of an existing client from one address (client-check.lua reads it).
-- The lockout of (client, address) (lockout.lua) refuses wrong credentials only: a right one is always served
-- and resets the counter.
-- KEYS: 1 sigil:rl:{c:<client>}:fail:<address>  failures of (client, address), hash {n, until}
-- ARGV: 1 threshold, 2 base ms, 3 max ms, 4 window ms
-- Returns the lockout now in force, in ms (0 if none).
--#include lockout
return recordFailure(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]))
