-- Rotates a refresh token, or recognises grace, reuse or an invalid token. One script, so that of any
-- number of concurrent requests with the same token exactly one rotates it, on any number of replicas.
-- KEYS: 1 sigil:{<uid>}:s:<sid>     the session
--       2 sigil:{<uid>}:sessions     the user's session index
--       3 sigil:{<uid>}:rsid:<sid>   the revoked-session marker (read by bearer checks)
--       4 sigil:{<uid>}:ver          the user's version
-- ARGV: 1 presented token hash, 2 successor hash, 3 successor encrypted under a key only the
--       presented token derives, 4 idle ms, 5 grace ms, 6 session id, 7 revoked-marker ttl ms,
--       8 client address, 9 user agent, 10 '' to mint from the subject the session holds, or the user's
--       version as read before the refresh read the user afresh, 11 that fresh subject (JSON; '' with ''),
--       12 the presented token's generation (its tag was verified, so Sigil issued that generation of this
--       session), 13 the successor's generation
-- The session is one JSON string (see SessionKeys), read whole and written whole: 'gen' is the current token's
-- generation; 'nx' the successor sealed for the grace period, until 'nxe' (ms). Tokens older than the previous
-- one are recognised by their generation, not stored: the state does not grow with rotations.
-- Returns, in this fixed order (fields added later go at the end):
--   {'rotated', ttl ms, '', subject, version, amr, auth_time}
--       | {'grace', ttl ms, encrypted successor, subject, version, amr, auth_time}
--       (amr and auth_time: the login's, or the last step-up's)
--       | {'reused'} | {'invalid'}
--   | {'stale'}: the subject the session holds was read at an older version of the user than the current
--     one (or the fresh subject's version moved since it was read): nothing is written, read the user again.
-- The subject comes back with the version it was read at: the new access token's 'uv'.
--#include session-load
local ver = redis.call('GET', KEYS[4]) or '0'
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
-- Only a token that rotates or gets grace may cost a PostgreSQL read (never an unknown or retired one).
local function subject()
    if fresh then
        return ARGV[11], ARGV[10]
    end
    if s.uv ~= ver then
        return nil -- the user changed since the session's subject was read
    end
    return s.sub, s.uv
end
if cur == ARGV[1] then
    local sub, uv = subject()
    if not sub then
        return {'stale'}
    end
    local exp = math.min(now + tonumber(ARGV[4]), tonumber(s.abs))
    s.cur, s.prev, s.gen, s.last, s.ip, s.ua = ARGV[2], ARGV[1], ARGV[13], tostring(now), ARGV[8], ARGV[9]
    s.sub, s.uv = sub, uv
    local grace = tonumber(ARGV[5])
    if grace > 0 then
        s.nx, s.nxe = ARGV[3], tostring(now + grace)
    else
        s.nx, s.nxe = nil, nil
    end
    redis.call('SET', KEYS[1], cjson.encode(s), 'PXAT', exp)
    -- The index is scored by last use (the session cap evicts the lowest); this one is now the newest.
    redis.call('ZADD', KEYS[2], now, ARGV[6])
    redis.call('PEXPIREAT', KEYS[2], now + tonumber(ARGV[4]))
    return {'rotated', tostring(exp - now), '', sub, uv, s.amr, s.at}
end
if prev == ARGV[1] and s.nx and now < tonumber(s.nxe) then
    -- The immediate predecessor within the grace period: hand out the successor the winner got.
    local sub, uv = subject()
    if not sub then
        return {'stale'}
    end
    return {'grace', tostring(redis.call('PTTL', KEYS[1])), s.nx, sub, uv, s.amr, s.at}
end
if prev == ARGV[1] or tonumber(ARGV[12]) < tonumber(s.gen) then
    -- A retired token came back: assume theft and end the whole family, newest token included.
    redis.call('DEL', KEYS[1])
    redis.call('ZREM', KEYS[2], ARGV[6])
    redis.call('SET', KEYS[3], '1', 'PX', ARGV[7])
    return {'reused'}
end
return {'invalid'} -- a token this session never issued: not evidence of theft, so nothing is revoked
