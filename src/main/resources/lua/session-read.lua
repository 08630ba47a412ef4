-- Reads the live sessions of one user for GET /sessions.
-- KEYS: 1 user's session index, then one session hash per id
-- ARGV: the session ids (same order)
-- Returns {id, created, last, ip, ua} per live session; drops index entries whose session is gone.
local out = {}
for i = 2, #KEYS do
    local f = redis.call('HMGET', KEYS[i], 'created', 'last', 'ip', 'ua')
    if f[1] then
        table.insert(out, {ARGV[i - 1], f[1], f[2], f[3] or '', f[4] or ''})
    else
        redis.call('ZREM', KEYS[1], ARGV[i - 1])
    end
end
return out
