-- Logout with a refresh token: ends its session if the token belongs to it (current, previous or
-- older). A token the session never issued ends nothing: the session id alone is not a credential.
-- KEYS: 1 sigil:{<uid>}:s:<sid>     the session (a JSON string)
--       2 sigil:{<uid>}:sessions     the user's session index
--       3 sigil:{<uid>}:rsid:<sid>   the revoked-session marker
-- ARGV: 1 presented token hash, 2 session id, 3 marker ttl ms, 4 presented generation (its tag was
--       verified: Sigil issued that generation of this session)
-- Returns 1 if the session was ended, else 0.
--#include session-load
local s = load(KEYS[1])
if s.cur and (s.cur == ARGV[1] or s.prev == ARGV[1] or tonumber(ARGV[4]) < tonumber(s.gen)) then
    redis.call('DEL', KEYS[1])
    redis.call('ZREM', KEYS[2], ARGV[2])
    redis.call('SET', KEYS[3], '1', 'PX', ARGV[3])
    return 1
end
return 0
