-- Uses up the user's enrolment ticket: deleted only when the presented ticket is the stored one, so a
-- ticket enrols once and a wrong one leaves the right one in place.
-- KEYS: 1 sigil:{<uid>}:mfa:ticket  the user's ticket (a string: the SHA-256 of the ticket, base64url)
-- ARGV: 1 the SHA-256 of the presented ticket
-- Returns 1 when the ticket was consumed, 0 otherwise.
if redis.call('GET', KEYS[1]) == ARGV[1] then
    redis.call('DEL', KEYS[1])
    return 1
end
return 0
