-- Included (by dev.sigil.redis.LuaScript, at its '--#include session-load' line) into every script that reads a
-- session, since a Redis script cannot load another.
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
