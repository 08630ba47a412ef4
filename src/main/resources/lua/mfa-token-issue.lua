-- Stores a pending login's mfa_token with its lifetime in one step: never a token without a TTL.
-- KEYS: 1 sigil:mfat:<digest>  the mfa_token hash
-- ARGV: 1 user id, 2 password change time, 3 username, 4 attempts, 5 lifetime ms
redis.call('HSET', KEYS[1], 'uid', ARGV[1], 'pca', ARGV[2], 'name', ARGV[3], 'left', ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1
