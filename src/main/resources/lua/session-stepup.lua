-- Step-up: a fresh second factor upgrades the session's authentication (amr, auth_time), which every
-- later refresh copies into its access tokens. Only a live session is changed.
-- KEYS: 1 session hash
-- ARGV: 1 authentication methods (space-separated), 2 auth_time (epoch seconds)
-- Returns 1 when the session was upgraded, 0 when it no longer exists.
if redis.call('EXISTS', KEYS[1]) == 0 then
    return 0
end
redis.call('HSET', KEYS[1], 'amr', ARGV[1], 'at', ARGV[2])
return 1
