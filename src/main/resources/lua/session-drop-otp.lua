-- After the user's second factor is removed: no session may keep the otp of a factor that no longer
-- exists (nor the roles of sigil.mfa.required-roles that it gates), and no access token issued before.
-- KEYS: 1 sigil:{<uid>}:ver          the user's version
--       then the user's sessions: sigil:{<uid>}:s:<sid> (JSON strings)
-- Bumps the version (older access tokens fail Sigil's checks at once) and sets amr to the password
-- alone in every live session; auth_time stays (the password's). Returns how many sessions changed.
--#include session-load
redis.call('INCR', KEYS[1])
local changed = 0
for i = 2, #KEYS do
    local s = load(KEYS[i])
    local ttl = redis.call('PTTL', KEYS[i])
    if s.cur and ttl > 0 and s.amr and s.amr ~= 'pwd' then
        s.amr = 'pwd'
        redis.call('SET', KEYS[i], cjson.encode(s), 'PX', ttl)
        changed = changed + 1
    end
end
return changed
