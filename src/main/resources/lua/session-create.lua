-- Starts a session (token family) at login, unless the user changed since the login read it.
-- KEYS: 1 session hash, 2 user's session index, 3 user's version
-- ARGV: 1 token hash, 2 idle ms, 3 absolute ms, 4 session id, 5 client address, 6 user agent,
--       7 the user's version as read before the login read the user
-- Returns {'created', remaining lifetime ms (the cookie's Max-Age)} | {'stale'} when the version moved:
-- a disable, delete, password reset or other change committed after the login's read, so it creates nothing.
if (redis.call('GET', KEYS[3]) or '0') ~= ARGV[7] then
    return {'stale'}
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local abs = now + tonumber(ARGV[3])
local exp = math.min(now + tonumber(ARGV[2]), abs)
redis.call('HSET', KEYS[1], 'cur', ARGV[1], 'created', now, 'last', now, 'abs', abs,
    'ip', ARGV[5], 'ua', ARGV[6], 'gen', 1)
redis.call('PEXPIREAT', KEYS[1], exp)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
redis.call('ZADD', KEYS[2], exp, ARGV[4])
local last = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')
redis.call('PEXPIREAT', KEYS[2], last[2])
return {'created', tostring(exp - now)}
