-- Included (by dev.sigil.redis.LuaScript, at its '--#include session-load' line) into every script that reads a
-- session, since a Redis script cannot load another.
-- The session (one JSON string, see SessionKeys) as a table; empty when it does not exist.
local function load(key)
    local json = redis.call('GET', key)
    return json and cjson.decode(json) or {}
end
