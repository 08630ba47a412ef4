-- Starts a session (token family) at login, unless the user changed since the login read it. At the
-- per-user cap, the least recently used sessions are ended first, like a revocation.
-- KEYS: 1 sigil:{<uid>}:s:<sid>     the session (one JSON string, see SessionKeys)
--       2 sigil:{<uid>}:sessions     the user's session index (sid -> last used ms)
--       3 sigil:{<uid>}:ver          the user's version
--       then per session the caller names for eviction:
--       4 + 2i sigil:{<uid>}:s:<sid>     its session
--       5 + 2i sigil:{<uid>}:rsid:<sid>  its revoked-session marker
-- ARGV: 1 token hash, 2 idle ms, 3 absolute ms, 4 session id, 5 client address, 6 user agent,
--       7 the user's version as read before the login read the user, 8 max sessions per user,
--       9 revoked-session marker ttl ms, 10 the token subject read at version ARGV[7] (JSON): refresh mints from
--       it while the version holds, 11 authentication methods (amr, space-separated), 12 auth_time (epoch seconds),
--       then the ids of the sessions named for eviction (same order as their key pairs)
-- Every key it touches comes through KEYS, so the caller names the sessions to evict: none at first, then those
-- an 'evict' reply asked for.
-- Returns {'created', remaining lifetime ms (the cookie's Max-Age), evicted session ids...}
--       | {'stale'} when the version moved: a change committed after the login's read; nothing is written
--       | {'evict', session ids...} when the cap requires ending sessions the caller did not name (their keys
--         are not in KEYS): nothing is written; call again naming them.
if (redis.call('GET', KEYS[3]) or '0') ~= ARGV[7] then
    return {'stale'}
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local idle = tonumber(ARGV[2])
local named = {}
for i = 13, #ARGV do
    named[ARGV[i]] = 4 + 2 * (i - 13)
end
-- Unused for longer than the idle lifetime: expired for sure, not counted. (Sessions that reached their
-- absolute end are dropped below or by session-read.) Least recently used first.
local live = redis.call('ZRANGEBYSCORE', KEYS[2], '(' .. (now - idle), '+inf')
local over = #live - tonumber(ARGV[8]) + 1
local missing = {'evict'}
for i = 1, over do
    if not named[live[i]] then
        table.insert(missing, live[i])
    end
end
if #missing > 1 then
    return missing
end
local abs = now + tonumber(ARGV[3])
local exp = math.min(now + idle, abs)
local out = {'created', tostring(exp - now)}
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - idle)
for i = 1, over do
    local k = named[live[i]]
    redis.call('ZREM', KEYS[2], live[i])
    if redis.call('EXISTS', KEYS[k]) == 1 then
        redis.call('DEL', KEYS[k])
        redis.call('SET', KEYS[k + 1], '1', 'PX', ARGV[9])
        table.insert(out, live[i])
    end
end
-- One string rather than a hash: a hash with any value over 64 bytes (the subject, a browser's user agent)
-- leaves Redis' compact encoding and takes more than twice the memory.
redis.call('SET', KEYS[1], cjson.encode({cur = ARGV[1], created = tostring(now), last = tostring(now), abs = tostring(abs),
    ip = ARGV[5], ua = ARGV[6], gen = '1', sub = ARGV[10], uv = ARGV[7], amr = ARGV[11], at = ARGV[12]}), 'PXAT', exp)
redis.call('ZADD', KEYS[2], now, ARGV[4])
-- Every session in the index was last used at or before now, so it ends by now + idle.
redis.call('PEXPIREAT', KEYS[2], now + idle)
return out
