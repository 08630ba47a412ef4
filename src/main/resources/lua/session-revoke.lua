-- Revokes sessions of one user. Access tokens of a revoked session fail revocation-aware checks
-- through a marker that lives as long as those tokens can.
-- KEYS: 1 sigil:{<uid>}:sessions     the user's session index
--       then per session:
--       2 + 2i sigil:{<uid>}:s:<sid>     the session
--       3 + 2i sigil:{<uid>}:rsid:<sid>  its revoked-session marker
-- ARGV: 1 marker ttl ms, then the session ids (same order as the key pairs)
-- Returns how many of the given sessions were in the user's index: sessions, not deleted keys. A
-- session is only touched when the index names it, so an id can never reach keys that are not its own.
local revoked = 0
for i = 0, (#KEYS - 1) / 2 - 1 do
    local sid = ARGV[2 + i]
    if redis.call('ZSCORE', KEYS[1], sid) then
        redis.call('ZREM', KEYS[1], sid)
        redis.call('DEL', KEYS[2 + 2 * i])
        redis.call('SET', KEYS[3 + 2 * i], '1', 'PX', ARGV[1])
        revoked = revoked + 1
    end
end
return revoked
