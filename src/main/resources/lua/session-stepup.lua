-- Step-up: a fresh second factor upgrades the session's authentication (amr, auth_time), which every
-- later refresh copies into its access tokens. Only a live session is changed.
-- KEYS: 1 sigil:{<uid>}:s:<sid>  the session (a JSON string)
-- ARGV: 1 authentication methods (space-separated), 2 auth_time (epoch seconds)
-- Returns 1 when the session was upgraded, 0 when it no longer exists.
--#include session-load
local s = load(KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if not s.cur or ttl <= 0 then
    return 0
end
s.amr, s.at = ARGV[1], ARGV[2]
redis.call('SET', KEYS[1], cjson.encode(s), 'PX', ttl)
return 1
