-- Revokes sessions of one user. Access tokens of a revoked session fail revocation-aware checks
-- through a marker that lives as long as those tokens can.
-- KEYS: 1 user's session index, 2 user's not-before, then per session: hash, retired set, successor, marker
-- ARGV: 1 marker ttl ms, 2 '1' to also set the user's not-before (ends every access token issued so far),
--       3 not-before ttl ms, then the session ids (same order as the key groups)
-- Returns how many of the given sessions were in the user's index: sessions, not deleted keys. A
-- session is only touched when the index names it, so an id can never reach keys that are not its own.
local revoked = 0
local n = (#KEYS - 2) / 4
for i = 0, n - 1 do
    local base = 3 + i * 4
    local sid = ARGV[4 + i]
    if redis.call('ZSCORE', KEYS[1], sid) then
        redis.call('ZREM', KEYS[1], sid)
        redis.call('DEL', KEYS[base], KEYS[base + 1], KEYS[base + 2])
        redis.call('SET', KEYS[base + 3], '1', 'PX', ARGV[1])
        revoked = revoked + 1
    end
end
if ARGV[2] == '1' then
    local t = redis.call('TIME')
    redis.call('SET', KEYS[2], t[1], 'PX', ARGV[3])
end
return revoked
