-- Logout with a refresh token: ends its session if the token belongs to it (current, previous or
-- older). A token the session never issued ends nothing: the session id alone is not a credential.
-- KEYS: 1 session (a JSON string; a hash from earlier versions), 2 retired set, 3 encrypted successor (earlier
--       versions), 4 user's session index, 5 revoked-session marker
-- ARGV: 1 presented token hash, 2 session id, 3 marker ttl ms, 4 presented generation (0: a version 1 token;
--       else its tag was verified: Sigil issued that generation of this session)
-- Returns 1 if the session was ended, else 0.
--#include session-load
local s = load(KEYS[1])
local g = tonumber(ARGV[4])
if s.cur == ARGV[1] or s.prev == ARGV[1] or (s.cur and g > 0 and g < tonumber(s.gen or '0'))
        or redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 1 then
    redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
    redis.call('ZREM', KEYS[4], ARGV[2])
    redis.call('SET', KEYS[5], '1', 'PX', ARGV[3])
    return 1
end
return 0
