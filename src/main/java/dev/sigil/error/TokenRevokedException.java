package dev.sigil.error;

/** Cause of an authentication failure: a correctly signed access token whose session, jti or user was revoked. */
public class TokenRevokedException extends RuntimeException {
    public TokenRevokedException() {
        super("revoked", null, false, false);
    }
}
