-- Counts one attempt in a fixed window (per client address).
-- KEYS: 1 sigil:rl:addr:{<address>}  the counter: login and registration attempts of an address,
--         or sigil:rl:cf:{<address>}  failed client authentications of an address,
--         or sigil:rl:mail:{<address>}  password-reset and verification requests of an address,
--         or sigil:rl:mailto:{<user>}  mails sent to one account
-- ARGV: 1 limit, 2 window ms
-- Returns 0 when allowed, else the ms until the window ends (the Retry-After).
local n = redis.call('INCR', KEYS[1])
if n == 1 then
    redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
if n > tonumber(ARGV[1]) then
    local ttl = redis.call('PTTL', KEYS[1])
    if ttl < 0 then
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        ttl = tonumber(ARGV[2])
    end
    return ttl
end
return 0
