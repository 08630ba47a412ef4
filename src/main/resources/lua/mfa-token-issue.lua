-- Stores a pending login's mfa_token with its lifetime in one step: never a token without a TTL.
-- KEYS: 1 sigil:mfat:<digest>  the mfa_token hash
-- ARGV: 1 user id, 2 the user as the password check read it (UserSnapshot JSON), 3 attempts, 4 lifetime ms
redis.call('HSET', KEYS[1], 'uid', ARGV[1], 'user', ARGV[2], 'left', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1
