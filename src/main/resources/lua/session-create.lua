-- Starts a session (token family) at login, unless the user changed since the login read it. At the
-- per-user cap, the least recently used sessions are ended first, like a revocation.
-- KEYS: 1 session (one JSON string, see SessionKeys), 2 user's session index (sid -> last used ms), 3 user's version
-- ARGV: 1 token hash, 2 idle ms, 3 absolute ms, 4 session id, 5 client address, 6 user agent,
--       7 the user's version as read before the login read the user, 8 max sessions per user,
--       9 the user's key prefix 'sigil:{uid}:', 10 revoked-session marker ttl ms,
--       11 the token subject read at version ARGV[7] (JSON): refresh mints from it while the version holds
--       12 authentication methods (amr, space-separated), 13 auth_time (epoch seconds)
-- The evicted sessions' keys are built from ARGV[9] (names as in SessionKeys): they carry the same
-- hash tag as KEYS, so they are in the same slot, on Redis Cluster too.
-- Returns {'created', remaining lifetime ms (the cookie's Max-Age), evicted session ids...}
--       | {'stale'} when the version moved: a change committed after the login's read; nothing is written.
if (redis.call('GET', KEYS[3]) or '0') ~= ARGV[7] then
    return {'stale'}
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local idle = tonumber(ARGV[2])
local abs = now + tonumber(ARGV[3])
local exp = math.min(now + idle, abs)
local out = {'created', tostring(exp - now)}
-- Unused for longer than the idle lifetime: expired for sure. (Sessions that reached their absolute end
-- are dropped below or by session-read.)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - idle)
local n = redis.call('ZCARD', KEYS[2])
while n >= tonumber(ARGV[8]) do
    local sid = redis.call('ZRANGE', KEYS[2], 0, 0)[1]
    redis.call('ZREM', KEYS[2], sid)
    local s = ARGV[9] .. 's:' .. sid
    if redis.call('EXISTS', s) == 1 then
        redis.call('DEL', s, s .. ':old', s .. ':next')
        redis.call('SET', ARGV[9] .. 'rsid:' .. sid, '1', 'PX', ARGV[10])
        table.insert(out, sid)
    end
    n = n - 1
end
-- One string rather than a hash: a hash with any value over 64 bytes (the subject, a browser's user agent)
-- leaves Redis' compact encoding and takes more than twice the memory.
redis.call('SET', KEYS[1], cjson.encode({cur = ARGV[1], created = tostring(now), last = tostring(now), abs = tostring(abs),
    ip = ARGV[5], ua = ARGV[6], gen = '1', sub = ARGV[11], uv = ARGV[7], amr = ARGV[12], at = ARGV[13]}), 'PXAT', exp)
redis.call('ZADD', KEYS[2], now, ARGV[4])
-- Every session in the index was last used at or before now, so it ends by now + idle.
redis.call('PEXPIREAT', KEYS[2], now + idle)
return out
