-- Reads the live sessions of one user for GET /sessions.
-- KEYS: 1 user's session index, then one session per id (a JSON string; a hash from earlier versions)
-- ARGV: the session ids (same order)
-- Returns {id, created, last, ip, ua} per live session; drops index entries whose session is gone.
-- The session as a table: one JSON string, or the hash an earlier version wrote (same field names).
local function load(key)
    local kind = redis.call('TYPE', key).ok
    if kind == 'string' then
        return cjson.decode(redis.call('GET', key))
    elseif kind == 'hash' then
        local h, s = redis.call('HGETALL', key), {}
        for i = 1, #h, 2 do
            s[h[i]] = h[i + 1]
        end
        return s
    end
    return {}
end
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
