-- Reads the live sessions of one user for GET /sessions.
-- KEYS: 1 user's session index, then one session per id (a JSON string; a hash from earlier versions)
-- ARGV: the session ids (same order)
-- Returns {id, created, last, ip, ua} per live session; drops index entries whose session is gone.
--#include session-load
local out = {}
for i = 2, #KEYS do
    local s = load(KEYS[i])
    if s.created then
        table.insert(out, {ARGV[i - 1], s.created, s.last, s.ip or '', s.ua or ''})
    else
        redis.call('ZREM', KEYS[1], ARGV[i - 1])
    end
end
return out
