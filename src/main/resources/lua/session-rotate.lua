-- Rotates a refresh token, or recognises grace, reuse or an invalid token. One script, so that of any
-- number of concurrent requests with the same token exactly one rotates it, on any number of replicas.
-- KEYS: 1 session, 2 retired hashes (set; sessions started before version 2 tokens only), 3 encrypted successor
--       as versions before the one-string session kept it (read and deleted only), 4 user's session index,
--       5 revoked-session marker (read by bearer checks), 6 user's version
-- ARGV: 1 presented token hash, 2 successor hash, 3 successor encrypted under a key only the
--       presented token derives, 4 idle ms, 5 grace ms, 6 session id, 7 revoked-marker ttl ms,
--       8 client address, 9 user agent, 10 '' to mint from the subject the session holds, or the user's
--       version as read before the refresh read the user afresh, 11 that fresh subject (JSON; '' with ''),
--       12 the presented token's generation (0: a version 1 token; else its tag was verified, so Sigil issued
--       that generation of this session), 13 the successor's generation
-- The session is one JSON string (see SessionKeys), read whole and written whole: 'gen' is the current token's
-- generation and 'pg' the previous token's; 'nx' the successor sealed for the grace period, until 'nxe' (ms).
-- Tokens older than the previous one are recognised by their generation, not stored: the state does not grow
-- with rotations. Only sessions started before version 2 tokens keep their retired set (KEYS[2]).
-- A session still in the hash of earlier versions is read as such and rewritten as a string.
-- Returns, in this fixed order (fields added later go at the end):
--   {'rotated', ttl ms, '', subject, version, amr, auth_time}
--       | {'grace', ttl ms, encrypted successor, subject, version, amr, auth_time}
--       (amr and auth_time: the login's, or the last step-up's; a session older than them reports 'pwd' and its creation)
--       | {'reused'} | {'invalid'}
--   | {'stale'}: the subject the session holds was read at an older version of the user than the current
--     one (or the fresh subject's version moved since it was read): nothing is written, read the user again.
-- The subject comes back with the version it was read at: the new access token's 'uv'.
--#include session-load
local ver = redis.call('GET', KEYS[6]) or '0'
local fresh = ARGV[10] ~= ''
if fresh and ver ~= ARGV[10] then
    return {'stale'}
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local s = load(KEYS[1])
local cur, prev = s.cur, s.prev
if not cur then
    return {'invalid'} -- unknown, expired, revoked or logged out
end
local amr = s.amr or 'pwd'
local at = s.at or tostring(math.floor(tonumber(s.created) / 1000))
-- Only a token that rotates or gets grace may cost a PostgreSQL read (never an unknown or retired one).
local function subject()
    if fresh then
        return ARGV[11], ARGV[10]
    end
    if not s.sub or s.uv ~= ver then
        return nil -- a session from before subjects were stored, or the user changed since it was read
    end
    return s.sub, s.uv
end
if cur == ARGV[1] then
    local sub, uv = subject()
    if not sub then
        return {'stale'}
    end
    if prev and (s.pg or '0') == '0' then
        redis.call('SADD', KEYS[2], prev) -- a version 1 token: only its stored hash recognises it later
    end
    local exp = math.min(now + tonumber(ARGV[4]), tonumber(s.abs))
    s.cur, s.prev, s.pg, s.gen, s.last, s.ip, s.ua = ARGV[2], ARGV[1], ARGV[12], ARGV[13], tostring(now), ARGV[8], ARGV[9]
    s.sub, s.uv = sub, uv
    local grace = tonumber(ARGV[5])
    if grace > 0 then
        s.nx, s.nxe = ARGV[3], tostring(now + grace)
    else
        s.nx, s.nxe = nil, nil
    end
    redis.call('SET', KEYS[1], cjson.encode(s), 'PXAT', exp)
    redis.call('DEL', KEYS[3])
    if redis.call('EXISTS', KEYS[2]) == 1 then
        redis.call('PEXPIREAT', KEYS[2], exp)
    end
    -- The index is scored by last use (the session cap evicts the lowest); this one is now the newest.
    redis.call('ZADD', KEYS[4], now, ARGV[6])
    redis.call('PEXPIREAT', KEYS[4], now + tonumber(ARGV[4]))
    return {'rotated', tostring(exp - now), '', sub, uv, amr, at}
end
if prev == ARGV[1] then
    -- The immediate predecessor within the grace period: hand out the successor the winner got.
    local enc = s.nx and now < tonumber(s.nxe) and s.nx or redis.call('GET', KEYS[3])
    if enc then
        local sub, uv = subject()
        if not sub then
            return {'stale'}
        end
        return {'grace', tostring(redis.call('PTTL', KEYS[1])), enc, sub, uv, amr, at}
    end
end
local g = tonumber(ARGV[12])
if prev == ARGV[1] or (g > 0 and g < tonumber(s.gen or '0')) or redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 1 then
    -- A retired token came back: assume theft and end the whole family, newest token included.
    redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
    redis.call('ZREM', KEYS[4], ARGV[6])
    redis.call('SET', KEYS[5], '1', 'PX', ARGV[7])
    return {'reused'}
end
return {'invalid'} -- a token this session never issued: not evidence of theft, so nothing is revoked
