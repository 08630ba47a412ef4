-- Reads the live sessions of one user for GET /sessions.
-- KEYS: 1 sigil:{<uid>}:sessions     the user's session index
--       then one session per id: sigil:{<uid>}:s:<sid> (a JSON string)
-- ARGV: the session ids (same order)
-- Returns {id, created, last, ip, ua} per live session; drops index entries whose session is gone.
--#include session-load
local out = {}
for i = 2, #KEYS do
    local s = load(KEYS[i])
    if s.created then
        table.insert(out, {ARGV[i - 1], s.created, s.last, s.ip, s.ua})
    else
        redis.call('ZREM', KEYS[1], ARGV[i - 1])
    end
end
return out
