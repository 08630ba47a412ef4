-- One attempt at a pending login's second factor: reserves it before the code is checked, so that
-- concurrent guesses cannot exceed the limit. The token dies after its attempts are spent or at its TTL.
-- KEYS: 1 sigil:mfat:<digest>  the mfa_token hash
-- Returns {user id, the user as the password check read it (UserSnapshot JSON)} when an attempt was reserved, {} when the token is dead.
local s = redis.call('HMGET', KEYS[1], 'uid', 'user', 'left')
if not s[1] then
    return {}
end
if tonumber(s[3]) <= 0 then
    redis.call('DEL', KEYS[1])
    return {}
end
redis.call('HINCRBY', KEYS[1], 'left', -1)
return {s[1], s[2]}
