-- Rotates a refresh token, or recognises grace, reuse or an invalid token. One script, so that of any
-- number of concurrent requests with the same token exactly one rotates it, on any number of replicas.
-- KEYS: 1 session hash, 2 retired hashes (set), 3 encrypted successor (lives for the grace period),
--       4 user's session index, 5 revoked-session marker (read by bearer checks), 6 user's version
-- ARGV: 1 presented token hash, 2 successor hash, 3 successor encrypted under a key only the
--       presented token derives, 4 idle ms, 5 grace ms, 6 session id, 7 revoked-marker ttl ms,
--       8 client address, 9 user agent, 10 the user's version as read before the refresh read the user
-- Returns {'rotated', ttl ms, amr, auth_time} | {'grace', ttl ms, encrypted successor, amr, auth_time} | {'reused'} | {'invalid'}
--       (amr and auth_time: the login's, or the last step-up's; a session older than them reports 'pwd' and its creation)
--       | {'stale'} when the version moved since (the user changed): nothing is written, read the user again.
if (redis.call('GET', KEYS[6]) or '0') ~= ARGV[10] then
    return {'stale'}
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local s = redis.call('HMGET', KEYS[1], 'cur', 'prev', 'abs', 'amr', 'at', 'created')
local cur, prev = s[1], s[2]
if not cur then
    return {'invalid'} -- unknown, expired, revoked or logged out
end
local amr = s[4] or 'pwd'
local at = s[5] or tostring(math.floor(tonumber(s[6]) / 1000))
if cur == ARGV[1] then
    if prev then
        redis.call('SADD', KEYS[2], prev)
    end
    local exp = math.min(now + tonumber(ARGV[4]), tonumber(s[3]))
    redis.call('HSET', KEYS[1], 'cur', ARGV[2], 'prev', ARGV[1], 'last', now, 'ip', ARGV[8], 'ua', ARGV[9])
    redis.call('HINCRBY', KEYS[1], 'gen', 1)
    redis.call('PEXPIREAT', KEYS[1], exp)
    if redis.call('EXISTS', KEYS[2]) == 1 then
        redis.call('PEXPIREAT', KEYS[2], exp)
    end
    local grace = tonumber(ARGV[5])
    if grace > 0 then
        redis.call('SET', KEYS[3], ARGV[3], 'PX', grace)
    else
        redis.call('DEL', KEYS[3])
    end
    -- The index is scored by last use (the session cap evicts the lowest); this one is now the newest.
    redis.call('ZADD', KEYS[4], now, ARGV[6])
    redis.call('PEXPIREAT', KEYS[4], now + tonumber(ARGV[4]))
    return {'rotated', tostring(exp - now), amr, at}
end
if prev == ARGV[1] then
    -- The immediate predecessor within the grace period: hand out the successor the winner got.
    local enc = redis.call('GET', KEYS[3])
    if enc then
        return {'grace', tostring(redis.call('PTTL', KEYS[1])), enc, amr, at}
    end
end
if prev == ARGV[1] or redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 1 then
    -- A retired token came back: assume theft and end the whole family, newest token included.
    redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
    redis.call('ZREM', KEYS[4], ARGV[6])
    redis.call('SET', KEYS[5], '1', 'PX', ARGV[7])
    return {'reused'}
end
return {'invalid'} -- a token this session never issued: not evidence of theft, so nothing is revoked
