-- Starts a session (token family) at login.
-- KEYS: 1 session hash, 2 user's session index
-- ARGV: 1 token hash, 2 idle ms, 3 absolute ms, 4 session id, 5 client address, 6 user agent
-- Returns the session's remaining lifetime in ms (the cookie's Max-Age).
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
return exp - now
